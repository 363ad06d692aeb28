package org.kadshare.overlay.krpc;

/**
 * The 16 random bytes a getter puts in {@code connect_to_me}, which the relay forwards and the
 * holder sends back as the first bytes of the TCP connection it opens (the reverse hello): how
 * the getter's block server knows which download asked for the connection, without the content
 * ID ever showing on the TCP connection in clear.
 */
public final class ReverseCookie extends OpaqueBytes {
    private static final String WHAT = "a reverse-connection cookie";
    /** Its length, exactly. */
    public static final int LENGTH_BYTES = 16;

    private ReverseCookie(byte[] bytes) {
        super(WHAT, bytes, LENGTH_BYTES, LENGTH_BYTES);
    }

    /** Wraps a copy of {@code bytes}, which must be {@link #LENGTH_BYTES} long. */
    public static ReverseCookie of(byte[] bytes) {
        return new ReverseCookie(bytes);
    }
}
