package org.kadshare.overlay.krpc;

import java.util.Arrays;

/**
 * The "t" of a KRPC message: an opaque byte string the querying node chooses and the answering
 * node echoes back, so replies can be matched to queries. BEP 5 leaves the length open (mainline
 * nodes use 2 to 4 bytes); kadshare accepts 1 to 32 bytes.
 */
public final class TransactionId {
    /** Fewest bytes accepted. */
    public static final int MIN_BYTES = 1;
    /** Most bytes accepted. */
    public static final int MAX_BYTES = 32;

    private final byte[] bytes;

    private TransactionId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be {@link #MIN_BYTES}..{@link #MAX_BYTES} long. */
    public static TransactionId of(byte[] bytes) {
        return new TransactionId(OpaqueBytes.checkedCopy("a transaction ID", bytes, MIN_BYTES, MAX_BYTES));
    }

    /** A copy of the bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Number of bytes. */
    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TransactionId" + OpaqueBytes.show(bytes);
    }
}
