package org.kadshare.overlay.transfer.download;

import java.util.ArrayDeque;

/** Bytes per second over a sliding window of samples of a growing counter. Time is an argument. */
final class RateMeter {
    private static final int MAX_SAMPLES = 256;
    private final long windowNanos;
    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    RateMeter(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    void sample(long nowNanos, long total) {
        samples.addLast(new long[] {nowNanos, total});
        while (samples.size() > MAX_SAMPLES || samples.size() > 2 && nowNanos - samples.peekFirst()[0] > windowNanos) {
            samples.removeFirst();
        }
    }

    /** Bytes per second across the window, or -1 with fewer than two samples. */
    double bytesPerSecond() {
        if (samples.size() < 2) {
            return -1;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        long nanos = last[0] - first[0];
        return nanos <= 0 ? -1 : (last[1] - first[1]) * 1e9 / nanos;
    }
}
