package org.kadshare.storage;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;

/**
 * Turns a name someone else chose (a manifest's name, a collection path's last component) into a
 * file name that is safe to create in a directory: one path component, never {@code .} or
 * {@code ..}, no separator, no control or invisible formatting character, in Unicode NFC form, and
 * at most {@link #MAX_BYTES} UTF-8 bytes. The rules are in {@code docs/PROTOCOL.md}, "Names on
 * disk".
 *
 * <p>Design note. Unsafe characters are replaced by {@code _} rather than refused, so a get always
 * has a name to write; the result is normalised to NFC first, so two names that differ only in
 * their Unicode composition become the same name and {@link FreeName} sees them collide. A name
 * with nothing usable left (empty, only dots and spaces) becomes the caller's fallback, the content
 * ID in hex.
 */
public final class SafeName {
    /** Longest name written, in UTF-8 bytes (the usual file-system limit). */
    public static final int MAX_BYTES = 255;
    /** Longest extension kept when a long name is shortened, in characters (dot included). */
    static final int MAX_KEPT_EXTENSION_CHARS = 16;

    private SafeName() {
    }

    /**
     * The safe form of {@code untrusted}, or {@code fallback} (which must itself be safe, such as
     * 64 hex digits) when nothing usable is left.
     */
    public static String of(String untrusted, String fallback) {
        if (untrusted == null) {
            return fallback;
        }
        String nfc = Normalizer.normalize(untrusted, Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(nfc.length());
        for (int i = 0; i < nfc.length(); ) {
            int cp = nfc.codePointAt(i);
            out.appendCodePoint(isUnsafe(cp) ? '_' : cp);
            i += Character.charCount(cp);
        }
        String name = out.toString().strip();
        if (name.chars().allMatch(c -> c == '.')) {
            return fallback;
        }
        return shorten(name, MAX_BYTES);
    }

    /**
     * Whether a code point may not appear in a file name written to disk: path separators, NUL
     * and other control characters, line and paragraph separators, invisible format characters
     * (bidirectional overrides, zero-width joiners), unpaired surrogates and unassigned code points.
     */
    public static boolean isUnsafe(int cp) {
        if (cp == '/' || cp == '\\' || Character.isISOControl(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                || type == Character.UNASSIGNED || type == Character.PRIVATE_USE;
    }

    /**
     * {@code name} cut to at most {@code maxBytes} UTF-8 bytes at a code point boundary, keeping a
     * short extension ({@code .txt}) at the end when there is one.
     */
    static String shorten(String name, int maxBytes) {
        if (utf8Length(name) <= maxBytes) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_KEPT_EXTENSION_CHARS ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - extension.length());
        int budget = maxBytes - utf8Length(extension);
        return cut(stem, budget) + extension;
    }

    /** {@code name} with {@code " (n)"} before its extension, still within {@link #MAX_BYTES}. */
    static String withNumber(String name, int n) {
        String tag = " (" + n + ")";
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_KEPT_EXTENSION_CHARS ? name.substring(dot) : "";
        String stem = name.substring(0, name.length() - extension.length());
        int budget = MAX_BYTES - utf8Length(extension) - utf8Length(tag);
        return cut(stem, budget) + tag + extension;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String cut(String s, int maxBytes) {
        int bytes = 0;
        int end = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int size = utf8Length(new String(Character.toChars(cp)));
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
    }
}
