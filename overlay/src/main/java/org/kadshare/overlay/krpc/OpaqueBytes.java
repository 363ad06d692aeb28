package org.kadshare.overlay.krpc;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Checks and prints the bounded opaque byte strings KRPC carries (transaction IDs, tokens, ...). */
final class OpaqueBytes {
    private static final HexFormat HEX = HexFormat.of();
    private static final int SHOWN_BYTES = 32;

    private OpaqueBytes() {
    }

    /** A copy of {@code bytes}, after checking its length is within {@code min..max}. */
    static byte[] checkedCopy(String what, byte[] bytes, int min, int max) {
        if (bytes == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (bytes.length < min || bytes.length > max) {
            throw new IllegalArgumentException(what + " must be " + min + ".." + max
                    + " bytes, got " + bytes.length);
        }
        return bytes.clone();
    }

    /** Printable ASCII in quotes, anything else as hex; long values abbreviated. */
    static String show(byte[] bytes) {
        int shown = Math.min(bytes.length, SHOWN_BYTES);
        boolean printable = true;
        for (int i = 0; i < shown && printable; i++) {
            printable = bytes[i] >= 0x20 && bytes[i] <= 0x7e;
        }
        String body = printable
                ? "\"" + new String(bytes, 0, shown, StandardCharsets.US_ASCII) + "\""
                : HEX.formatHex(bytes, 0, shown);
        return shown < bytes.length ? body + "...(" + bytes.length + " bytes)" : body;
    }
}
