package org.kadshare.simulations.sim;

import java.util.Arrays;

/**
 * A growable list of long measurements (latencies, hop counts) with exact nearest-rank
 * percentiles: the p-th percentile is the smallest sample such that at least p% of the samples
 * are at or below it. Exact and order-independent, so a report built from it is reproducible.
 */
public final class Samples {
    private long[] values = new long[16];
    private int size;
    private boolean sorted = true;

    /** Adds one measurement. */
    public void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
        sorted = false;
    }

    /** Number of measurements. */
    public int count() {
        return size;
    }

    /** The nearest-rank percentile, {@code 0 < p <= 100}; 0 when there are no samples. */
    public long percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be within (0, 100]: " + p);
        }
        if (size == 0) {
            return 0;
        }
        sort();
        int rank = (int) Math.ceil(p * size / 100.0);
        return values[Math.max(1, rank) - 1];
    }

    /** The arithmetic mean; 0 when there are no samples. */
    public double mean() {
        if (size == 0) {
            return 0;
        }
        long sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return (double) sum / size;
    }

    /** The largest sample; 0 when there are none. */
    public long max() {
        if (size == 0) {
            return 0;
        }
        sort();
        return values[size - 1];
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(values, 0, size);
            sorted = true;
        }
    }
}
