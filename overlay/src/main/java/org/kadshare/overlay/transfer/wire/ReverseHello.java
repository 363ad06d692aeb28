package org.kadshare.overlay.transfer.wire;

import java.util.Arrays;

/**
 * The first bytes a holder that cannot be reached sends on a TCP connection it opened to a getter
 * on the getter's request (a reverse connection, docs/PROTOCOL.md section 5.2): {@code "KSRV"}
 * {@code u8 version = 1} and the 16-byte cookie of the getter's {@code connect_to_me}. Its first
 * byte is neither a TLS record's (0x16) nor a clear frame's (0x00), so the getter's block server
 * tells it from an ordinary connection by that byte. After it the roles are as on any connection
 * the getter opened: the getter speaks first (TLS ClientHello or the clear HANDSHAKE).
 */
public final class ReverseHello {
    /** The first byte, 'K'. */
    public static final byte FIRST_BYTE = 'K';
    /** Bytes of the whole hello. */
    public static final int LENGTH_BYTES = 4 + 1 + 16;
    /** The cookie's length. */
    public static final int COOKIE_BYTES = 16;
    private static final byte[] MAGIC = {'K', 'S', 'R', 'V'};
    private static final byte VERSION = 1;

    private ReverseHello() {
    }

    /** The hello carrying {@code cookie}. */
    public static byte[] encode(byte[] cookie) {
        if (cookie.length != COOKIE_BYTES) {
            throw new IllegalArgumentException("a reverse hello's cookie is " + COOKIE_BYTES + " bytes, got "
                    + cookie.length);
        }
        byte[] out = new byte[LENGTH_BYTES];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[MAGIC.length] = VERSION;
        System.arraycopy(cookie, 0, out, MAGIC.length + 1, COOKIE_BYTES);
        return out;
    }

    /**
     * The cookie of {@code hello} ({@link #LENGTH_BYTES} bytes).
     *
     * @throws FrameException (BAD_REQUEST or UNSUPPORTED_VERSION) when it is not a reverse hello
     */
    public static byte[] cookieOf(byte[] hello) throws FrameException {
        if (hello.length != LENGTH_BYTES || !Arrays.equals(hello, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new FrameException(ErrorCode.BAD_REQUEST, "not a reverse hello (magic KSRV)");
        }
        if (hello[MAGIC.length] != VERSION) {
            throw new FrameException(ErrorCode.UNSUPPORTED_VERSION, "reverse hello version "
                    + (hello[MAGIC.length] & 0xff) + ", this node speaks " + VERSION);
        }
        return Arrays.copyOfRange(hello, MAGIC.length + 1, LENGTH_BYTES);
    }
}
