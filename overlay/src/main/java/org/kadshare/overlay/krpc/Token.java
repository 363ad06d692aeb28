package org.kadshare.overlay.krpc;

import java.util.Arrays;

/**
 * The opaque write token of BEP 5: handed out in get_peers and get_manifests responses and
 * presented back in announce_peer and put_manifest queries, so a node only accepts writes from
 * addresses it has recently answered. Accepted lengths: 1 to 64 bytes.
 */
public final class Token {
    /** Fewest bytes accepted. */
    public static final int MIN_BYTES = 1;
    /** Most bytes accepted. */
    public static final int MAX_BYTES = 64;

    private final byte[] bytes;

    private Token(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be {@link #MIN_BYTES}..{@link #MAX_BYTES} long. */
    public static Token of(byte[] bytes) {
        return new Token(OpaqueBytes.checkedCopy("a token", bytes, MIN_BYTES, MAX_BYTES));
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
        return o instanceof Token other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Token" + OpaqueBytes.show(bytes);
    }
}
