package org.kadshare.overlay.transfer.wire;

/** The type byte of a block-transfer frame (docs/PROTOCOL.md, "Block transfer"). */
public enum FrameType {
    HANDSHAKE(0x01),
    HAVE(0x02),
    GET_HASHES(0x03),
    HASHES(0x04),
    GET_SPAN(0x05),
    SPAN(0x06),
    CANCEL(0x07),
    ERROR(0x08),
    CHOKE(0x09),
    UNCHOKE(0x0A);

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The byte that names this type on the wire. */
    public int code() {
        return code;
    }

    /** The type named by {@code code}, or {@code null} if none is. */
    static FrameType ofCode(int code) {
        for (FrameType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
