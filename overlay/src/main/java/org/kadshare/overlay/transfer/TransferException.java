package org.kadshare.overlay.transfer;

import java.io.IOException;
import org.kadshare.overlay.transfer.wire.ErrorCode;

/**
 * A peer connection failed or was refused: connect timeout, handshake refused (with the peer's
 * error code), protocol violation, or the connection closed with requests outstanding.
 */
public final class TransferException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    /** {@code code} is the peer's error code, or null if the peer sent none. */
    public TransferException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** The error code the peer sent, or null. */
    public ErrorCode code() {
        return code;
    }
}
