package org.kadshare.overlay.krpc;

/**
 * The "t" of a KRPC message: an opaque byte string the querying node chooses and the answering
 * node echoes back, so replies can be matched to queries. BEP 5 leaves the length open (mainline
 * nodes use 2 to 4 bytes); kadshare accepts 1 to 32 bytes.
 */
public final class TransactionId extends OpaqueBytes {
    private static final String WHAT = "a transaction ID";
    /** Fewest bytes accepted. */
    public static final int MIN_BYTES = 1;
    /** Most bytes accepted. */
    public static final int MAX_BYTES = 32;

    private TransactionId(byte[] bytes) {
        super(WHAT, bytes, MIN_BYTES, MAX_BYTES);
    }

    /** Wraps a copy of {@code bytes}, which must be {@link #MIN_BYTES}..{@link #MAX_BYTES} long. */
    public static TransactionId of(byte[] bytes) {
        return new TransactionId(bytes);
    }
}
