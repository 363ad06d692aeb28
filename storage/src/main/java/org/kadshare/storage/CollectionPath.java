package org.kadshare.storage;

import java.text.Normalizer;

/**
 * The rules for a relative path inside a {@link Collection}: components joined by {@code /},
 * each 1 to {@value SafeName#MAX_BYTES} UTF-8 bytes, none {@code .} or {@code ..}, no
 * {@code \}, no character {@link SafeName#isUnsafe} refuses; at most {@link #MAX_DEPTH}
 * components and {@link #MAX_BYTES} bytes in all; in Unicode NFC form. So a path cannot be
 * absolute, cannot climb out of the destination and means the same on every system.
 */
public final class CollectionPath {
    /** Longest path, in UTF-8 bytes. */
    public static final int MAX_BYTES = 1024;
    /** Most components in a path. */
    public static final int MAX_DEPTH = 32;

    private CollectionPath() {
    }

    /**
     * Returns {@code path} if it follows the rules.
     *
     * @throws IllegalArgumentException naming the path and the rule it breaks
     */
    public static String check(String path) {
        String problem = problem(path);
        if (problem != null) {
            throw new IllegalArgumentException("collection path " + quote(path) + " " + problem);
        }
        return path;
    }

    /** What is wrong with {@code path}, or null if nothing. */
    public static String problem(String path) {
        if (path == null || path.isEmpty()) {
            return "is empty";
        }
        if (SafeName.utf8Length(path) > MAX_BYTES) {
            return "is longer than " + MAX_BYTES + " bytes";
        }
        if (path.startsWith("/")) {
            return "is absolute";
        }
        if (!Normalizer.isNormalized(path, Normalizer.Form.NFC)) {
            return "is not in Unicode NFC form";
        }
        String[] parts = path.split("/", -1);
        if (parts.length > MAX_DEPTH) {
            return "has more than " + MAX_DEPTH + " components";
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                return "has an empty component";
            }
            if (part.equals(".") || part.equals("..")) {
                return "has a '" + part + "' component";
            }
            if (SafeName.utf8Length(part) > SafeName.MAX_BYTES) {
                return "has a component longer than " + SafeName.MAX_BYTES + " bytes";
            }
            for (int i = 0; i < part.length(); ) {
                int cp = part.codePointAt(i);
                if (SafeName.isUnsafe(cp)) {
                    return String.format("has the character U+%04X", cp);
                }
                i += Character.charCount(cp);
            }
        }
        return null;
    }

    /** The path quoted for a message, with unsafe characters escaped and cut to 120 characters. */
    static String quote(String path) {
        if (path == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder("\"");
        path.codePoints().limit(120).forEach(cp -> {
            if (SafeName.isUnsafe(cp) && cp != '/') {
                b.append(String.format("\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.append(path.codePointCount(0, path.length()) > 120 ? "...\"" : "\"").toString();
    }
}
