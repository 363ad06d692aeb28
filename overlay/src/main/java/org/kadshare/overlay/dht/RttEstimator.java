package org.kadshare.overlay.dht;

/**
 * Smoothed round-trip time of DHT queries, as TCP's retransmission timer (RFC 6298):
 * {@code srtt += (r - srtt) / 8}, {@code rttvar += (|srtt - r| - rttvar) / 4}, and a soft
 * timeout of {@code srtt + 4 * rttvar} clamped to {@code [minMillis, maxMillis]}. Before the first
 * sample the timeout is {@code initialMillis}. Lookups use it to decide when a silent contact is
 * merely slow (ask someone else too) rather than waiting the fixed seconds of a hard timeout.
 */
final class RttEstimator {
    private final long initialMillis;
    private final long minMillis;
    private final long maxMillis;
    private boolean sampled;
    private double srttMillis;
    private double rttvarMillis;

    RttEstimator(long initialMillis, long minMillis, long maxMillis) {
        if (minMillis < 1 || maxMillis < minMillis || initialMillis < minMillis || initialMillis > maxMillis) {
            throw new IllegalArgumentException("rtt bounds need 1 <= min <= initial <= max: min=" + minMillis
                    + " initial=" + initialMillis + " max=" + maxMillis);
        }
        this.initialMillis = initialMillis;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
    }

    void sample(long rttMillis) {
        double r = Math.max(0, rttMillis);
        if (!sampled) {
            srttMillis = r;
            rttvarMillis = r / 2;
            sampled = true;
            return;
        }
        rttvarMillis = 0.75 * rttvarMillis + 0.25 * Math.abs(srttMillis - r);
        srttMillis = 0.875 * srttMillis + 0.125 * r;
    }

    long softTimeoutMillis() {
        if (!sampled) {
            return initialMillis;
        }
        long t = (long) Math.ceil(srttMillis + 4 * rttvarMillis);
        return Math.max(minMillis, Math.min(maxMillis, t));
    }
}
