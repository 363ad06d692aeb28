package org.kadshare.cli;

import java.util.Locale;

/** Parses durations given on the command line: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
final class Durations {
    private Durations() {
    }

    static long parseMillis(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < t.length() && Character.isDigit(t.charAt(end))) {
            end++;
        }
        if (end == 0 || end > 12) {
            throw new CliException(ExitCode.USAGE, "not a duration: '" + text + "' (e.g. 30s, 2m, 500ms)");
        }
        long n = Long.parseLong(t.substring(0, end));
        long unit = switch (t.substring(end)) {
            case "ms" -> 1;
            case "", "s" -> 1_000;
            case "m", "min" -> 60_000;
            case "h" -> 3_600_000;
            default -> throw new CliException(ExitCode.USAGE, "unknown unit in duration '" + text + "' (ms, s, m, h)");
        };
        return n * unit;
    }
}
