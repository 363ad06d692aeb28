package org.kadshare.overlay.transfer.wire;

/** The fixed bounds of the block-transfer wire format. */
public final class Limits {
    /** Span data in one SPAN frame, in bytes (= {@code StoreConfig.DEFAULT_MAX_SPAN_BYTES}). */
    public static final int MAX_SPAN_BYTES = 4 << 20;
    /** The largest value of a frame's length prefix (type byte plus payload), in bytes. */
    public static final int MAX_FRAME_LENGTH_BYTES = MAX_SPAN_BYTES + 4096;
    /** Bytes of the length prefix. */
    public static final int LENGTH_PREFIX_BYTES = 4;
    /** Leaves a file can have: files are shorter than 2^63 bytes, leaves are 2^14 bytes. */
    public static final long MAX_LEAF_COUNT = 1L << 49;
    /** Ranges in one HAVE frame. */
    public static final int MAX_HAVE_RANGES = 256;
    /** Bytes of UTF-8 in an ERROR frame's reason. */
    public static final int MAX_REASON_BYTES = 1024;
    /** Heights of a span: a tree of at most 2^49 leaves is at most 49 high. */
    public static final int MAX_HEIGHT = 49;

    private Limits() {
    }
}
