package org.kadshare.overlay.dht;

/**
 * Smoothed round-trip time of DHT queries, as TCP's retransmission timer (RFC 6298):
 * {@code srtt += (r - srtt) / 8}, {@code rttvar += (|srtt - r| - rttvar) / 4}, and a soft
 * timeout of {@code srtt + 4 * rttvar} clamped to {@code [minMillis, maxMillis]}. Before the first
 * sample the timeout is {@code initialMillis}. Lookups use it to decide when a silent contact is
 * merely slow (ask someone else too, and do not wait for it once others answered).
 *
 * <p>The hard timeout, after which a query counts as unanswered (the lookup fails the contact, the
 * routing table counts a failure), is {@value #HARD_FACTOR} soft timeouts clamped to
 * {@code [HARD_MIN_MILLIS, hardMaxMillis]}: 1 s on loopback and at most internet RTTs, instead of
 * a fixed 5 s, so a departed contact is failed, pinged and dropped within about 2 s. The soft
 * timeout already covers nearly every answer (it is TCP's retransmission threshold); the factor
 * leaves room for a contact much farther than the average one, since one estimator serves all.
 *
 * <p>Past the hard timeout an answer is still taken until {@link #queryTimeoutMillis()} (the
 * upper clamp of the hard timeout): a lookup still uses it, and the estimate learns from it, so
 * on a machine or path slower than the estimate a late answer is better than none and the next
 * queries wait long enough.
 */
final class RttEstimator {
    /** Soft timeouts in one hard timeout. */
    static final int HARD_FACTOR = 3;
    /**
     * Lower clamp of the hard timeout. A stalled or overloaded peer (a busy 2-core machine, a GC
     * pause) can take a few hundred ms where loopback RTTs measure 1 ms; failing it then would cost
     * lookups every answer of a sudden burst before the estimate catches up.
     */
    static final long HARD_MIN_MILLIS = 1_000;

    private final long initialMillis;
    private final long minMillis;
    private final long maxMillis;
    private final long hardMaxMillis;
    private boolean sampled;
    private double srttMillis;
    private double rttvarMillis;

    RttEstimator(long initialMillis, long minMillis, long maxMillis, long hardMaxMillis) {
        if (minMillis < 1 || maxMillis < minMillis || initialMillis < minMillis || initialMillis > maxMillis
                || hardMaxMillis < minMillis) {
            throw new IllegalArgumentException("rtt bounds need 1 <= min <= initial <= max and min <= hardMax: min="
                    + minMillis + " initial=" + initialMillis + " max=" + maxMillis + " hardMax=" + hardMaxMillis);
        }
        this.initialMillis = initialMillis;
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
        this.hardMaxMillis = hardMaxMillis;
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

    /**
     * How long after sending an answer is still taken, whatever the estimate: past the hard
     * timeout, a lookup still uses a late answer until then.
     */
    long queryTimeoutMillis() {
        return hardMaxMillis;
    }

    /** How long a query waits for its answer before it counts as unanswered. */
    long hardTimeoutMillis() {
        return Math.min(hardMaxMillis, Math.max(HARD_MIN_MILLIS, HARD_FACTOR * softTimeoutMillis()));
    }
}
