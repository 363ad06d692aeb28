package org.kadshare.simulations.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The printed result of a simulation run, in two parts: the deterministic figures (the same seed
 * and parameters give the same bytes) and the host figures (wall time, memory) that depend on the
 * machine and are printed after a separator line so they never get compared.
 */
public final class Report {
    /** The line that separates the deterministic part from the host figures. */
    public static final String HOST_SEPARATOR = "--- host figures (not deterministic) ---";

    private final String title;
    private final List<String> lines = new ArrayList<>();
    private final List<String> hostLines = new ArrayList<>();

    /** A report headed by {@code title}. */
    public Report(String title) {
        this.title = Objects.requireNonNull(title, "title");
    }

    /** Adds a deterministic line {@code key: value}. */
    public Report line(String key, Object value) {
        lines.add(key + ": " + render(value));
        return this;
    }

    /** Adds a deterministic line {@code key: formatted}, formatted in the root locale. */
    public Report line(String key, String format, Object... args) {
        lines.add(key + ": " + String.format(Locale.ROOT, format, args));
        return this;
    }

    /** Adds a percentile summary line {@code key: n=.. p50=.. p90=.. p99=.. max=..}. */
    public Report percentiles(String key, Samples samples, String unit) {
        return line(key, "n=%d p50=%d%s p90=%d%s p99=%d%s max=%d%s", samples.count(),
                samples.percentile(50), unit, samples.percentile(90), unit,
                samples.percentile(99), unit, samples.max(), unit);
    }

    /** Adds a host figure line; it is printed after {@link #HOST_SEPARATOR}. */
    public Report hostLine(String key, String format, Object... args) {
        hostLines.add(key + ": " + String.format(Locale.ROOT, format, args));
        return this;
    }

    /** The title and the deterministic lines, one per line, ending in a newline. */
    public String deterministicText() {
        StringBuilder b = new StringBuilder("== ").append(title).append(" ==\n");
        for (String l : lines) {
            b.append(l).append('\n');
        }
        return b.toString();
    }

    /** The deterministic text followed by the separator and the host figures, if any. */
    public String fullText() {
        if (hostLines.isEmpty()) {
            return deterministicText();
        }
        StringBuilder b = new StringBuilder(deterministicText()).append(HOST_SEPARATOR).append('\n');
        for (String l : hostLines) {
            b.append(l).append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return fullText();
    }

    private static String render(Object value) {
        if (value instanceof Double || value instanceof Float) {
            return String.format(Locale.ROOT, "%.4f", ((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }
}
