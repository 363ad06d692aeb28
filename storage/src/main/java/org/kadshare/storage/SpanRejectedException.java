package org.kadshare.storage;

/**
 * Bytes offered for a span of a partial download do not hash to that span's verified leaf hashes
 * (wrong bytes, wrong length, or data of another span). Nothing was written. The peer that sent
 * them sent bad data.
 */
public final class SpanRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** {@code message} names the span and what did not match. */
    public SpanRejectedException(String message) {
        super(message);
    }
}
