package org.kadshare.overlay.transfer.schedule;

/**
 * Smoothed round-trip time and throughput of one peer, from the requests it completed.
 *
 * <p>Design note. Round-trip time is an exponentially weighted moving average with gain 1/8, as
 * TCP's SRTT (RFC 6298); samples come from the handshake exchange (timed from our handshake's
 * write to the holder's, so without the connect or TLS). The round trip to plan a pipeline with,
 * {@link #roundTripNanos()}, is the least sample of the last {@link #MIN_RTT_WINDOW_NANOS}, as
 * BBR's min_rtt: the handshake's, and those of requests in flight that had nothing ahead of them
 * when sent (the first one, and any sent once the pipeline had drained), their own bytes
 * included. A request queued behind others is no sample: its wait includes the replies ahead of
 * it, and a pipeline sized by that wait would grow its own queue. Nothing here subtracts the
 * reply's time at the measured rate: a rate measured low would then make the round trip low, the
 * dry-pipeline correction below would charge the rest of the round trip to service, the rate would
 * fall further, and the peer would be held to tiny spans for good (seen on a loaded machine).
 *
 * <p>Throughput is an EWMA with gain 1/4 of per-request service rates. It leans towards the
 * rate of the link between waits (a TCP connection whose window is still opening delivers a
 * window's replies back to back, then waits), which is what sizing the pipeline needs: a ratio of
 * bytes to time instead (tried) measures what a too-small pipeline lets through, and a pipeline
 * sized by that stays too small (a far holder was held to 0.3 MiB/s on a loaded machine). A
 * request's service time runs from the later of its send time and the previous arrival from the same peer
 * to its own arrival, so a pipelined peer is credited with its link rate rather than with the
 * time its replies queued behind each other. When the pipeline had run dry (the request was sent
 * after the previous arrival) that interval also holds one round trip, which is subtracted, so an
 * idle gap does not make the peer look slow and shrink its pipeline further. Time is an argument.
 */
final class PeerEstimator {
    static final long MIN_SERVICE_NANOS = 20_000L;
    /** How long a least round-trip sample stays the one to plan with, unless a lower one comes. */
    static final long MIN_RTT_WINDOW_NANOS = 10_000_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private double srttNanos = -1;
    private double bytesPerSecond = -1;
    private long lastArrivalNanos = Long.MIN_VALUE;
    private long samples;
    private long minRttNanos = -1;
    private long minRttAtNanos = Long.MIN_VALUE;
    private final DeliveryRate delivery = new DeliveryRate();

    /** Adds a round-trip-time sample taken at {@code nowNanos}. */
    void observeRtt(long rttNanos, long nowNanos) {
        if (rttNanos < 0) {
            throw new IllegalArgumentException("round-trip time " + rttNanos + " ns is negative");
        }
        srttNanos = srttNanos < 0 ? rttNanos : srttNanos + (rttNanos - srttNanos) / 8;
        observeMinRtt(rttNanos, nowNanos);
    }

    private void observeMinRtt(long rttNanos, long nowNanos) {
        if (minRttNanos < 0 || rttNanos <= minRttNanos || nowNanos - minRttAtNanos > MIN_RTT_WINDOW_NANOS) {
            minRttNanos = rttNanos;
            minRttAtNanos = nowNanos;
        }
    }

    /** Adds the arrival of {@code bytes} for a request sent at {@code sentAtNanos}, nothing else outstanding ahead of it. */
    void observeArrival(long sentAtNanos, long arrivedAtNanos, long bytes) {
        observeArrival(sentAtNanos, arrivedAtNanos, bytes, 0);
    }

    /**
     * Adds the arrival of {@code bytes} for a request sent at {@code sentAtNanos}, when
     * {@code bytesAhead} asked of the same peer before it had not arrived yet.
     */
    void observeArrival(long sentAtNanos, long arrivedAtNanos, long bytes, long bytesAhead) {
        boolean pipelineDry = sentAtNanos >= lastArrivalNanos;
        long start = pipelineDry ? sentAtNanos : lastArrivalNanos;
        long service = arrivedAtNanos - start;
        if (pipelineDry && hasRtt() && service > roundTripNanos()) {
            service -= roundTripNanos();
        }
        service = Math.max(service, MIN_SERVICE_NANOS);
        lastArrivalNanos = Math.max(lastArrivalNanos, arrivedAtNanos);
        double sample = bytes * (double) NANOS_PER_SECOND / service;
        bytesPerSecond = bytesPerSecond < 0 ? sample : bytesPerSecond + (sample - bytesPerSecond) / 4;
        samples++;
        if (bytesAhead == 0 && arrivedAtNanos >= sentAtNanos) {
            observeMinRtt(arrivedAtNanos - sentAtNanos, arrivedAtNanos);
        }
    }

    /**
     * Adds to the delivery rate ({@link DeliveryRate}) the arrival at {@code nowNanos} of
     * {@code bytes} for a request whose interval began at {@code intervalStartNanos}, when
     * {@code deliveredAtStart} bytes had been delivered.
     */
    void observeDelivery(long bytes, long nowNanos, long deliveredAtStart, long intervalStartNanos) {
        delivery.onArrival(bytes, nowNanos, deliveredAtStart, intervalStartNanos, roundTripNanos());
    }

    /** Bytes delivered so far (see {@link #observeDelivery}). */
    long deliveredBytes() {
        return delivery.deliveredBytes();
    }

    /**
     * The rate to plan the pipeline and the end with: the delivery rate once one is measured (it
     * cannot exceed what the link delivered), else the smoothed throughput; -1 before either.
     */
    double planBytesPerSecond() {
        double delivered = delivery.bytesPerSecond();
        return delivered > 0 ? delivered : bytesPerSecond;
    }

    /** Whether the delivery rate has stopped growing (see {@link DeliveryRate#linkFull()}). */
    boolean linkFull() {
        return delivery.linkFull();
    }

    /** Halves the throughput estimates: the peer stalled. */
    void penalise() {
        if (bytesPerSecond > 0) {
            bytesPerSecond /= 2;
        }
        delivery.penalise();
    }

    boolean hasThroughput() {
        return bytesPerSecond > 0;
    }

    boolean hasRtt() {
        return minRttNanos >= 0;
    }

    /** Smoothed throughput in bytes per second, or -1 before any arrival. */
    double bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Smoothed round-trip time in nanoseconds, or -1 before any sample. */
    long srttNanos() {
        return (long) srttNanos;
    }

    /** The round trip to plan with: the least recent sample (see the class note), or -1 before any. */
    long roundTripNanos() {
        return minRttNanos;
    }

    /** When the last reply arrived, or {@link Long#MIN_VALUE}. */
    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    long samples() {
        return samples;
    }
}
