package org.kadshare.overlay.transfer.wire;

/**
 * Bytes that are not a valid frame. Carries the {@link ErrorCode} to answer with before closing
 * the connection; decoding throws nothing else, whatever the input.
 */
public final class FrameException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient ErrorCode code;

    /** {@code message} names what is wrong. */
    public FrameException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    /** The code the receiver answers with. */
    public ErrorCode code() {
        return code;
    }
}
