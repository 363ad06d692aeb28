package org.kadshare.overlay.transfer.server;

import java.io.IOException;

/** The server does not hold (all of) what a request asked for. */
final class NotHeldException extends IOException {
    private static final long serialVersionUID = 1L;

    NotHeldException(String message) {
        super(message);
    }
}
