package org.kadshare.storage;

/**
 * A leaf-hash layer offered for a partial download does not hash to the content ID (or has the
 * wrong size for the length). It was not accepted; the peer that sent it sent bad data.
 */
public final class LeafLayerRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    /** {@code message} names the content and what did not match. */
    public LeafLayerRejectedException(String message) {
        super(message);
    }
}
