package org.kadshare.overlay.node;

import java.io.IOException;

/** Why a {@code get} failed, in categories a program can act on. */
public final class GetFailedException extends IOException {
    /** The failure categories. */
    public enum Reason { NOT_FOUND, TIMEOUT, NETWORK, VERIFICATION, DESTINATION, DISK_FULL, CANCELLED }

    private final Reason reason;

    public GetFailedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
