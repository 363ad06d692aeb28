package org.kadshare.overlay.krpc;

/**
 * The opaque write token of BEP 5: handed out in get_peers and get_manifests responses and
 * presented back in announce_peer and put_manifest queries, so a node only accepts writes from
 * addresses it has recently answered. Accepted lengths: 1 to 64 bytes.
 */
public final class Token extends OpaqueBytes {
    private static final String WHAT = "a token";
    /** Fewest bytes accepted. */
    public static final int MIN_BYTES = 1;
    /** Most bytes accepted. */
    public static final int MAX_BYTES = 64;

    private Token(byte[] bytes) {
        super(WHAT, bytes, MIN_BYTES, MAX_BYTES);
    }

    /** Wraps a copy of {@code bytes}, which must be {@link #MIN_BYTES}..{@link #MAX_BYTES} long. */
    public static Token of(byte[] bytes) {
        return new Token(bytes);
    }
}
