package org.kadshare.simulations.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What the benchmark runners share: flag parsing for sizes and the median of measured rounds. */
final class BenchArgs {
    private BenchArgs() {
    }

    /**
     * Parses a byte size such as {@code 1g}, {@code 512m}, {@code 64k} or {@code 1000}.
     *
     * @throws IllegalArgumentException naming {@code flag} when the text is not a size
     */
    static long parseSize(String flag, String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("k")) {
            unit = 1L << 10;
        } else if (s.endsWith("m")) {
            unit = 1L << 20;
        } else if (s.endsWith("g")) {
            unit = 1L << 30;
        }
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            long n = Long.parseLong(digits);
            if (n < 0) {
                throw new IllegalArgumentException(flag + " must not be negative, got " + text);
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(flag + " takes a number with an optional k, m or g suffix, got '"
                    + text + "'", e);
        }
    }

    /**
     * Parses a whole number of at least {@code min}.
     *
     * @throws IllegalArgumentException naming {@code flag} when the text is not such a number
     */
    static int parseCount(String flag, String text, int min) {
        int n;
        try {
            n = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " takes a whole number, got '" + text + "'", e);
        }
        if (n < min) {
            throw new IllegalArgumentException(flag + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    /** The median of {@code values}, as {@link #median(double[])}. */
    static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** CPU seconds per GiB for {@code cpuNanos} of CPU time spent on {@code bytes}. */
    static double cpuSecondsPerGib(long bytes, long cpuNanos) {
        return cpuNanos / 1e9 * (1L << 30) / bytes;
    }
}
