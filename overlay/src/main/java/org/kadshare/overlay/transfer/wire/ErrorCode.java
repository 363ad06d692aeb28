package org.kadshare.overlay.transfer.wire;

/**
 * The reason code of an {@link ErrorFrame} (docs/PROTOCOL.md, "Block transfer", error codes).
 * Codes a peer sends that this table lacks decode as {@link #UNKNOWN}.
 */
public enum ErrorCode {
    /** The handshake's protocol version is not spoken here; the connection closes. */
    UNSUPPORTED_VERSION(1),
    /** The content, or a leaf of the requested span, is not held by the answering node. */
    NOT_HELD(2),
    /** The holder's file changed on disk; the content is no longer served. */
    CHANGED_ON_DISK(3),
    /** The holder is at its limit (too many connections or outstanding requests); try later. */
    BUSY(4),
    /** A malformed frame or a request that breaks the protocol; the connection closes. */
    BAD_REQUEST(5),
    /** A frame longer than the limit, or a request whose reply would be; see the frame's request ID. */
    TOO_LARGE(6),
    /** The answering node failed (an I/O error), not the request. */
    SERVER_ERROR(7),
    /**
     * Sent by a downloader to a holder whose span failed verification, before it closes: the
     * holder stops trusting its copy and hashes every leaf again as it reads it.
     */
    BAD_DATA(8),
    /**
     * The peer made too little progress: no handshake in time, a frame sent or a reply read
     * slower than the minimum rate, or idle too long; the connection closes.
     */
    TOO_SLOW(9),
    /** A code this implementation does not know. */
    UNKNOWN(0xFFFF);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /** The unsigned 16-bit value on the wire. */
    public int code() {
        return code;
    }

    /** The code for wire value {@code code}; {@link #UNKNOWN} for a value not in the table. */
    public static ErrorCode ofCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
