package org.kadshare.overlay.transfer.schedule;

import java.util.ArrayDeque;

/**
 * How fast one peer's replies actually come in: the most bytes per second delivered over any
 * request's interval in the last {@link #MIN_WINDOW_NANOS} or {@link #WINDOW_ROUND_TRIPS} round
 * trips, whichever is longer, as BBR's
 * bottleneck-bandwidth filter. Time is an argument.
 *
 * <p>Design note. A sample belongs to one request: the bytes that arrived from its peer after its
 * interval began, this reply's included, over the time since. The interval begins at the
 * request's send time if nothing was outstanding then, else at the later of the peer's last
 * arrival and the start of its current busy run. Replies come one after another over one
 * connection, so every byte counted was sent after the interval began: a sample never exceeds
 * what the link delivered, unlike a rate over one reply's own service time, which a burst (a
 * getter that reads late, then all at once) inflates several times over. A window too small to
 * fill the link measures what that window lets through; the pipeline built on this rate
 * ({@link RequestSizing}) is two or three times that over a round trip, so it grows each round
 * trip while the link has room.
 */
final class DeliveryRate {
    /** The shortest time a sample stays the one to plan with, unless a higher one comes. */
    static final long MIN_WINDOW_NANOS = 500_000_000L;
    /** The window over the round trip, when that is longer. */
    static final int WINDOW_ROUND_TRIPS = 4;
    /** Samples kept at most (the filter keeps only falling values, so far fewer in practice). */
    static final int MAX_SAMPLES = 64;

    private record Sample(long atNanos, double bytesPerSecond) {
    }

    /** A round trip in which the rate grew less than this factor counts towards the link being full. */
    static final double GROWTH = 1.25;
    /** Round trips in a row without such growth after which the link is taken as full. */
    static final int FLAT_ROUNDS = 3;

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long deliveredBytes;
    private long roundStartNanos = Long.MIN_VALUE;
    private double rateAtLastGrowth;
    private int flatRounds;
    private boolean full;

    /** Bytes delivered so far: to be kept with a request when it is sent. */
    long deliveredBytes() {
        return deliveredBytes;
    }

    /**
     * Adds the arrival at {@code nowNanos} of {@code bytes} for a request whose interval began at
     * {@code intervalStartNanos} with {@code deliveredAtStart} bytes delivered; {@code roundTripNanos}
     * (or -1) sets how long the sample counts.
     */
    void onArrival(long bytes, long nowNanos, long deliveredAtStart, long intervalStartNanos, long roundTripNanos) {
        deliveredBytes += bytes;
        long interval = nowNanos - intervalStartNanos;
        if (interval <= 0 || deliveredAtStart > deliveredBytes) {
            return;
        }
        double rate = (deliveredBytes - deliveredAtStart) * 1e9 / interval;
        long window = Math.max(MIN_WINDOW_NANOS, WINDOW_ROUND_TRIPS * Math.max(0, roundTripNanos));
        while (!samples.isEmpty() && (samples.peekLast().bytesPerSecond() <= rate
                || nowNanos - samples.peekLast().atNanos() > window)) {
            samples.pollLast();
        }
        while (!samples.isEmpty() && nowNanos - samples.peekFirst().atNanos() > window) {
            samples.pollFirst();
        }
        if (samples.size() >= MAX_SAMPLES) {
            samples.pollFirst();
        }
        samples.addLast(new Sample(nowNanos, rate));
        endRound(nowNanos, roundTripNanos);
    }

    /** Once a round trip has passed since the last check: did the rate still grow (BBR's full-pipe check)? */
    private void endRound(long nowNanos, long roundTripNanos) {
        if (roundStartNanos == Long.MIN_VALUE) {
            roundStartNanos = nowNanos;
            return;
        }
        if (full || roundTripNanos <= 0 || nowNanos - roundStartNanos < roundTripNanos) {
            return;
        }
        roundStartNanos = nowNanos;
        double now = bytesPerSecond();
        if (now >= rateAtLastGrowth * GROWTH) {
            rateAtLastGrowth = now;
            flatRounds = 0;
        } else if (++flatRounds >= FLAT_ROUNDS) {
            full = true;
        }
    }

    /**
     * Whether the link looks full: the rate grew by less than {@link #GROWTH} in each of the last
     * {@link #FLAT_ROUNDS} round trips. Until then the connection is taken to be in its start.
     */
    boolean linkFull() {
        return full;
    }

    /** The most delivered in the window, in bytes per second, or -1 before any sample. */
    double bytesPerSecond() {
        return samples.isEmpty() ? -1 : samples.peekFirst().bytesPerSecond();
    }

    int samplesKept() {
        return samples.size();
    }

    /** Halves every sample: the peer stalled. */
    void penalise() {
        ArrayDeque<Sample> halved = new ArrayDeque<>();
        samples.forEach(s -> halved.addLast(new Sample(s.atNanos(), s.bytesPerSecond() / 2)));
        samples.clear();
        samples.addAll(halved);
    }
}
