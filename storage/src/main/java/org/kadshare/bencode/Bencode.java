package org.kadshare.bencode;

/**
 * Encodes values to their one canonical bencoding and decodes bencoded bytes strictly and within
 * {@link BencodeLimits} (see {@code docs/PROTOCOL.md}, "Bencode", for the rules). Decoding throws
 * nothing but {@link BencodeException}, whatever the input.
 */
public final class Bencode {

    private Bencode() {
    }

    /** The canonical bencoding of {@code value}: dictionary keys in sorted order. */
    public static byte[] encode(BValue value) {
        if (value == null) {
            throw new IllegalArgumentException("cannot encode null");
        }
        return BencodeEncoder.encode(value);
    }

    /**
     * Decodes {@code input}, which must hold exactly one value and nothing after it, within the
     * {@link BencodeLimits#DATAGRAM} limits.
     *
     * @throws BencodeException naming what is wrong and at which offset
     */
    public static BValue decode(byte[] input) throws BencodeException {
        return decode(input, BencodeLimits.DATAGRAM);
    }

    /**
     * Decodes {@code input}, which must hold exactly one value and nothing after it.
     *
     * @throws BencodeException naming what is wrong and at which offset
     */
    public static BValue decode(byte[] input, BencodeLimits limits) throws BencodeException {
        requireInput(input, 0, limits);
        if (input.length > limits.maxInputBytes()) {
            throw new BencodeException("bencode: input of " + input.length
                    + " bytes exceeds the limit of " + limits.maxInputBytes() + " bytes");
        }
        BencodeDecoder decoder = new BencodeDecoder(input, 0, input.length, limits);
        BValue value = decoder.decodeValue();
        if (decoder.position() != input.length) {
            throw new BencodeException("bencode: " + (input.length - decoder.position())
                    + " trailing bytes after the value, at offset " + decoder.position());
        }
        return value;
    }

    /**
     * Decodes the one value that starts at {@code offset} and returns it with the offset just past
     * it; bytes after the value are allowed and left alone. The value itself may span at most
     * {@code limits.maxInputBytes()} bytes.
     *
     * @throws BencodeException naming what is wrong and at which offset
     */
    public static Prefix decodePrefix(byte[] input, int offset, BencodeLimits limits)
            throws BencodeException {
        requireInput(input, offset, limits);
        int end = (int) Math.min(input.length, (long) offset + limits.maxInputBytes());
        BencodeDecoder decoder = new BencodeDecoder(input, offset, end, limits);
        BValue value = decoder.decodeValue();
        return new Prefix(value, decoder.position());
    }

    private static void requireInput(byte[] input, int offset, BencodeLimits limits)
            throws BencodeException {
        if (limits == null) {
            throw new IllegalArgumentException("bencode limits are missing");
        }
        if (input == null) {
            throw new BencodeException("bencode: input is null");
        }
        if (offset < 0 || offset > input.length) {
            throw new BencodeException("bencode: offset " + offset + " is outside the input of "
                    + input.length + " bytes");
        }
    }

    /**
     * A value decoded from the front of a longer input.
     *
     * @param value     the decoded value
     * @param endOffset the offset of the first byte after the value
     */
    public record Prefix(BValue value, int endOffset) {
        /** Checks the value is present and the offset not negative. */
        public Prefix {
            if (value == null || endOffset < 0) {
                throw new IllegalArgumentException("prefix needs a value and an end offset, got "
                        + value + " at " + endOffset);
            }
        }
    }
}
