package org.kadshare.overlay.krpc;

import org.kadshare.storage.KeywordRecordCodec;

/**
 * A signed keyword record in its encoded form ({@link KeywordRecordCodec#encode}), as carried by
 * {@code put_keyword} and {@code get_keywords}. The KRPC layer treats it as opaque bytes with a
 * size bound; the DHT core decodes it with {@link KeywordRecordCodec#decode}, which verifies the
 * signatures, before it stores or trusts it.
 */
public final class EncodedKeyword extends OpaqueBytes {
    private static final String WHAT = "an encoded keyword record";
    /** Fewest bytes accepted. */
    public static final int MIN_BYTES = 1;
    /** Most bytes accepted: the size bound of the record encoding itself. */
    public static final int MAX_BYTES = KeywordRecordCodec.MAX_ENCODED_BYTES;

    private EncodedKeyword(byte[] bytes) {
        super(WHAT, bytes, MIN_BYTES, MAX_BYTES);
    }

    /** Wraps a copy of {@code bytes}, which must be {@link #MIN_BYTES}..{@link #MAX_BYTES} long. */
    public static EncodedKeyword of(byte[] bytes) {
        return new EncodedKeyword(bytes);
    }
}
