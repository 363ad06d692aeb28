package org.kadshare.cli;

import java.util.Locale;

/** Parses sizes written by people: {@code 65536}, {@code 64k}, {@code 64MiB}, {@code 1G}. */
final class ByteSize {
    private ByteSize() {
    }

    static long parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < t.length() && Character.isDigit(t.charAt(end))) {
            end++;
        }
        if (end == 0) {
            throw new IllegalArgumentException("not a size: '" + text + "'");
        }
        long number;
        try {
            number = Long.parseLong(t.substring(0, end));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
        int shift = switch (t.substring(end).strip()) {
            case "", "b" -> 0;
            case "k", "kb", "kib" -> 10;
            case "m", "mb", "mib" -> 20;
            case "g", "gb", "gib" -> 30;
            case "t", "tb", "tib" -> 40;
            default -> throw new IllegalArgumentException("unknown size unit in '" + text + "'");
        };
        if (number > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
        return number << shift;
    }
}
