package org.kadshare.simulations.scenario;

import java.util.Locale;

/** Parses and prints virtual durations such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}. */
public final class Durations {
    private Durations() {
    }

    /** Milliseconds of {@code text}, a whole number followed by ms, s, m or h. */
    public static long parseMillis(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long unit;
        String digits;
        if (t.endsWith("ms")) {
            unit = 1;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1_000;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            unit = 3_600_000;
            digits = t.substring(0, t.length() - 1);
        } else {
            throw new IllegalArgumentException("a duration needs a unit (ms, s, m, h): " + text);
        }
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > Long.MAX_VALUE / unit) {
                throw new IllegalArgumentException("duration out of range: " + text);
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: " + text, e);
        }
    }

    /** The shortest exact form: {@code 90000} prints as {@code 90s}, {@code 600000} as {@code 10m}. */
    public static String format(long millis) {
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0 && millis > 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
