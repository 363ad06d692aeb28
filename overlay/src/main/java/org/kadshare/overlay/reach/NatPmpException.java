package org.kadshare.overlay.reach;

import java.io.IOException;

/** A NAT-PMP exchange failed: no answer, a malformed answer, or a refusal (with its result code). */
final class NatPmpException extends IOException {
    private static final long serialVersionUID = 1L;

    NatPmpException(String message) {
        super(message);
    }
}
