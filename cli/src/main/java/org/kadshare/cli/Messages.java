package org.kadshare.cli;

import java.util.Locale;

/** Human-facing messages on stderr; stdout is kept for results. */
final class Messages {
    private Messages() {
    }

    static void info(String message) {
        System.err.println("node: " + Terminal.printableLines(message));
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** {@code text} with the characters a terminal would act on or hide (controls, bidi overrides) escaped. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (org.kadshare.storage.SafeName.isUnsafe(cp) && cp != '/') {
                b.append(String.format(Locale.ROOT, "\\u%04x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
