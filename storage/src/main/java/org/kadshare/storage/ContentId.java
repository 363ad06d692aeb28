package org.kadshare.storage;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity of a file's content: the 32-byte SHA-256 value that binds the Merkle root of the
 * file's bytes to its length (see {@code docs/PROTOCOL.md}, "Content IDs"). The same bytes give
 * the same ID whoever hashes them. Its text form is 64 lowercase hex digits.
 */
public final class ContentId implements Comparable<ContentId> {
    /** Length of an ID in bytes. */
    public static final int LENGTH_BYTES = 32;
    /** Length of the DHT key derived from an ID (the first 160 bits), in bytes. */
    public static final int DHT_KEY_LENGTH_BYTES = 20;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private ContentId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}, which must be exactly 32 bytes long. */
    public static ContentId of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a content ID is " + LENGTH_BYTES + " bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new ContentId(bytes.clone());
    }

    /**
     * Parses the 64-hex-digit text form (either case).
     *
     * @throws IllegalArgumentException naming what is wrong with the text
     */
    public static ContentId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("content ID is missing");
        }
        String s = text.strip();
        if (s.length() != 2 * LENGTH_BYTES) {
            throw new IllegalArgumentException("a content ID is " + 2 * LENGTH_BYTES
                    + " hex digits, got " + s.length() + " characters: '" + abbreviate(s) + "'");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("a content ID is hex digits only, found '"
                        + s.charAt(i) + "' at position " + i);
            }
        }
        return new ContentId(HEX.parseHex(s));
    }

    /** A copy of the 32 bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The DHT key of this content: the first 160 bits of the ID. */
    public byte[] dhtKey() {
        return Arrays.copyOf(bytes, DHT_KEY_LENGTH_BYTES);
    }

    /** The 64-hex-digit lowercase text form. */
    public String toHex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(ContentId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
