package org.kadshare.overlay.transfer.schedule;

/**
 * Smoothed round-trip time and throughput of one peer, from the requests it completed.
 *
 * <p>Design note. Round-trip time is an exponentially weighted moving average with gain 1/8, as
 * TCP's SRTT (RFC 6298); samples come from the handshake and from the transport's own per-request
 * measurements. Throughput is an EWMA with gain 1/4 over per-request service rates: a request's
 * service time runs from the later of its send time and the previous arrival from the same peer
 * to its own arrival, so a pipelined peer is credited with its link rate rather than with the
 * time its replies queued behind each other. When the pipeline had run dry (the request was sent
 * after the previous arrival) that interval also holds one round trip, which is subtracted, so an
 * idle gap does not make the peer look slow and shrink its pipeline further. Time is an argument.
 */
final class PeerEstimator {
    static final long MIN_SERVICE_NANOS = 20_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private double srttNanos = -1;
    private double bytesPerSecond = -1;
    private long lastArrivalNanos = Long.MIN_VALUE;
    private long samples;

    /** Adds a round-trip-time sample. */
    void observeRtt(long rttNanos) {
        if (rttNanos < 0) {
            throw new IllegalArgumentException("round-trip time " + rttNanos + " ns is negative");
        }
        srttNanos = srttNanos < 0 ? rttNanos : srttNanos + (rttNanos - srttNanos) / 8;
    }

    /** Adds the arrival of {@code bytes} for a request sent at {@code sentAtNanos}. */
    void observeArrival(long sentAtNanos, long arrivedAtNanos, long bytes) {
        boolean pipelineDry = sentAtNanos >= lastArrivalNanos;
        long start = pipelineDry ? sentAtNanos : lastArrivalNanos;
        long service = arrivedAtNanos - start;
        if (pipelineDry && srttNanos > 0) {
            service -= (long) srttNanos;
        }
        service = Math.max(service, MIN_SERVICE_NANOS);
        lastArrivalNanos = Math.max(lastArrivalNanos, arrivedAtNanos);
        double sample = bytes * (double) NANOS_PER_SECOND / service;
        bytesPerSecond = bytesPerSecond < 0 ? sample : bytesPerSecond + (sample - bytesPerSecond) / 4;
        samples++;
    }

    /** Halves the throughput estimate: the peer stalled. */
    void penalise() {
        if (bytesPerSecond > 0) {
            bytesPerSecond /= 2;
        }
    }

    boolean hasThroughput() {
        return bytesPerSecond > 0;
    }

    boolean hasRtt() {
        return srttNanos >= 0;
    }

    /** Smoothed throughput in bytes per second, or -1 before any arrival. */
    double bytesPerSecond() {
        return bytesPerSecond;
    }

    /** Smoothed round-trip time in nanoseconds, or -1 before any sample. */
    long srttNanos() {
        return (long) srttNanos;
    }

    /** When the last reply arrived, or {@link Long#MIN_VALUE}. */
    long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    long samples() {
        return samples;
    }
}
