package org.kadshare.overlay.reach;

import java.io.IOException;

/** A PCP exchange failed: no answer, a malformed answer, or a refusal (with its result code). */
final class PcpException extends IOException {
    private static final long serialVersionUID = 1L;

    PcpException(String message) {
        super(message);
    }
}
