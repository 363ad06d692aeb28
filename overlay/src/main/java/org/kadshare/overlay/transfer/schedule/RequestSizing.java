package org.kadshare.overlay.transfer.schedule;

import org.kadshare.storage.MerkleTree;

/**
 * How much to ask one peer for: the span height and how many requests to keep in flight, from
 * its estimates. Pure.
 *
 * <p>The bytes kept in flight to a peer, its window ({@link #windowBytes}), are, once its link
 * is full ({@link PeerEstimator#linkFull()}), {@link #WINDOW_GAIN} times its bandwidth-delay
 * product (its delivery rate, {@link DeliveryRate}, times {@link PeerEstimator#roundTripNanos()})
 * plus one span: one product keeps the link busy while replies are on the wire, the second
 * covers what the rate misses. While the link is still opening, {@link #START_WINDOW_GAIN}
 * products, and at least the first window plus {@link #START_GROWTH} bytes for each byte
 * delivered: TCP doubles its window each round trip in its start, and a pipeline planned from
 * the rate that already arrived lags that rate, empties the holder's socket and stops TCP's
 * window growing (a far peer crawled for seconds at 16 KiB spans). What this puts in a far
 * peer's queue at the end is the tail rule's to hold back
 * ({@code DownloadSchedule}). A span is sized so that serving it takes about
 * {@link ScheduleConfig#targetRequestNanos()} at the peer's throughput (rounded down to a power
 * of two leaves), and at least the window over {@link ScheduleConfig#maxDepth()} (rounded up), so
 * a far peer's window fits in the depth limit; clamped to {@code [16 KiB, 2^maxSpanHeight leaves]}: a slow
 * peer gets small spans (little is lost if it stalls, and the endgame is short), a fast or far one
 * large spans (fewer requests and proofs). The depth is the window over the span, at least 2, at
 * most {@link ScheduleConfig#maxDepth()}, and never more than
 * {@link ScheduleConfig#maxInFlightBytesPerPeer()} outstanding.
 */
final class RequestSizing {
    /** The window over the bandwidth-delay product. */
    static final double WINDOW_GAIN = 2.0;
    /** The window over the bandwidth-delay product while the link is still opening. */
    static final double START_WINDOW_GAIN = 3.0;
    /** While the link is opening, the window grows by this many bytes for every byte delivered. */
    static final int START_GROWTH = 2;
    /**
     * The least round trip for that growth: TCP's start, doubling from ten segments, lasts some 7
     * round trips to fill 3 MiB, 2 s at 300 ms; over shorter round trips it is over before the
     * rate-planned window lags much, and a deeper pipeline only costs bytes fetched twice when a
     * holder chokes (the simulated flash crowd, 20 to 100 ms: 15 to 19 % instead of 9 to 11 %).
     */
    static final long START_GROWTH_MIN_RTT_NANOS = 150_000_000L;
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;

    private RequestSizing() {
    }

    static int spanHeight(PeerEstimator estimate, ScheduleConfig config) {
        if (!estimate.hasThroughput()) {
            return config.initialSpanHeight();
        }
        double bytes = estimate.bytesPerSecond() * config.targetRequestNanos() / 1e9;
        long leaves = (long) Math.max(1, Math.min(bytes / L, 1L << config.maxSpanHeight()));
        int height = 63 - Long.numberOfLeadingZeros(leaves);
        if (estimate.hasRtt()) {
            double fit = Math.min(windowBytes(estimate, 0, config) / config.maxDepth() / L, 1L << config.maxSpanHeight());
            long fitLeaves = (long) Math.ceil(Math.max(1, fit));
            height = Math.max(height, 64 - Long.numberOfLeadingZeros(fitLeaves - 1));
        }
        return Math.min(height, config.maxSpanHeight());
    }

    static int depth(PeerEstimator estimate, int spanHeight, ScheduleConfig config) {
        long spanBytes = (long) L << spanHeight;
        int byBytes = (int) Math.max(1, Math.min(config.maxDepth(), config.maxInFlightBytesPerPeer() / spanBytes));
        if (!estimate.hasThroughput() || !estimate.hasRtt()) {
            return Math.min(config.initialDepth(), byBytes);
        }
        long wanted = (long) Math.ceil(windowBytes(estimate, spanBytes, config) / spanBytes);
        return (int) Math.max(Math.min(2, byBytes), Math.min(wanted, byBytes));
    }

    /** What an unmeasured peer is asked for at once: the least window of any peer. */
    static long initialWindowBytes(ScheduleConfig config) {
        return (long) config.initialDepth() * ((long) L << config.initialSpanHeight());
    }

    /**
     * Bytes to keep in flight to a measured peer asked for spans of {@code spanBytes}: the gain
     * times its delivery rate over the round trip plus a span; while its link is still opening,
     * at least the first window plus {@link #START_GROWTH} bytes for every byte it delivered so
     * far (the window grows with what arrives, tripling each round trip as long as the link keeps
     * up, a step ahead of TCP's congestion window, which doubles in its start: a window that only
     * kept pace would leave the holder's socket empty at times, and the connection's window would
     * stop growing); never less than the first window.
     */
    static double windowBytes(PeerEstimator estimate, long spanBytes, ScheduleConfig config) {
        double gain = estimate.linkFull() ? WINDOW_GAIN : START_WINDOW_GAIN;
        double window = gain * estimate.planBytesPerSecond() * estimate.roundTripNanos() / 1e9 + spanBytes;
        if (!estimate.linkFull() && estimate.roundTripNanos() >= START_GROWTH_MIN_RTT_NANOS) {
            window = Math.max(window, initialWindowBytes(config) + START_GROWTH * estimate.deliveredBytes());
        }
        return Math.max(window, initialWindowBytes(config));
    }

    /**
     * When a request of {@code bytes} asked at {@code fromNanos} of an idle peer should arrive: a
     * round trip plus the bytes at the peer's throughput; {@link Long#MIN_VALUE} for an unmeasured
     * peer.
     */
    static long expectedArrivalNanos(PeerEstimator estimate, long fromNanos, long bytes) {
        if (!estimate.hasThroughput()) {
            return Long.MIN_VALUE;
        }
        return fromNanos + Math.max(0, estimate.roundTripNanos()) + (long) (bytes * 1e9 / estimate.bytesPerSecond());
    }

    /** How long a request of {@code bytes} should take to arrive, before slack. */
    static long expectedNanos(PeerEstimator estimate, long bytes, ScheduleConfig config) {
        if (!estimate.hasThroughput()) {
            return config.initialStallNanos();
        }
        long transfer = (long) (bytes * 1e9 / estimate.bytesPerSecond());
        return Math.max(0, estimate.roundTripNanos()) + transfer;
    }
}
