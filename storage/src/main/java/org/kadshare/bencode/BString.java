package org.kadshare.bencode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A bencoded byte string ({@code <length>:<bytes>}). It holds raw bytes, which need not be text;
 * {@link #utf8(String)} and {@link #asUtf8()} convert to and from UTF-8 text. Byte strings order
 * by their raw bytes compared as unsigned values, which is the order of dictionary keys.
 */
public record BString(byte[] bytes) implements BValue, Comparable<BString> {

    private static final HexFormat HEX = HexFormat.of();

    /** Wraps a copy of {@code bytes}. */
    public BString {
        if (bytes == null) {
            throw new IllegalArgumentException("a byte string needs bytes, got null");
        }
        bytes = bytes.clone();
    }

    /** A byte string holding a copy of {@code bytes}. */
    public static BString of(byte[] bytes) {
        return new BString(bytes);
    }

    /** A byte string holding the UTF-8 encoding of {@code text}. */
    public static BString utf8(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a byte string needs text, got null");
        }
        return new BString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes themselves, for this package's encoder; never handed out. */
    byte[] raw() {
        return bytes;
    }

    /** Number of bytes. */
    public int length() {
        return bytes.length;
    }

    /**
     * The bytes decoded as UTF-8.
     *
     * @throws BencodeException if the bytes are not well-formed UTF-8
     */
    public String asUtf8() throws BencodeException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new BencodeException("byte string " + this + " is not valid UTF-8", e);
        }
    }

    @Override
    public String typeName() {
        return "string";
    }

    @Override
    public int compareTo(BString o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Printable ASCII in quotes, anything else as hex; long strings are abbreviated. */
    @Override
    public String toString() {
        int shown = Math.min(bytes.length, 64);
        boolean printable = true;
        for (int i = 0; i < shown; i++) {
            if (bytes[i] < 0x20 || bytes[i] > 0x7e) {
                printable = false;
                break;
            }
        }
        String body = printable
                ? "\"" + new String(bytes, 0, shown, StandardCharsets.US_ASCII) + "\""
                : "0x" + HEX.formatHex(bytes, 0, shown);
        return shown < bytes.length ? body + "...(" + bytes.length + " bytes)" : body;
    }
}
