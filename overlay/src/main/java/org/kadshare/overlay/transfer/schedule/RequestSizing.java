package org.kadshare.overlay.transfer.schedule;

import org.kadshare.storage.MerkleTree;

/**
 * How much to ask one peer for: the span height and how many requests to keep in flight, from
 * its estimates. Pure.
 *
 * <p>A span is sized so that serving it takes about {@link ScheduleConfig#targetRequestNanos()}
 * at the peer's throughput, rounded down to a power of two leaves and clamped to
 * {@code [16 KiB, 2^maxSpanHeight leaves]}: a slow peer gets small spans (little is lost if it
 * stalls, and the endgame is short), a fast one large spans (fewer requests and proofs). The depth
 * covers the bandwidth-delay product, {@code ceil(throughput * rtt / spanBytes) + 1}, so the peer
 * always has the next request queued while the previous reply is on the wire; at least 2, at
 * most {@link ScheduleConfig#maxDepth()}, and never more than
 * {@link ScheduleConfig#maxInFlightBytesPerPeer()} outstanding.
 */
final class RequestSizing {
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
        return Math.min(height, config.maxSpanHeight());
    }

    static int depth(PeerEstimator estimate, int spanHeight, ScheduleConfig config) {
        long spanBytes = (long) L << spanHeight;
        int byBytes = (int) Math.max(1, Math.min(config.maxDepth(), config.maxInFlightBytesPerPeer() / spanBytes));
        if (!estimate.hasThroughput() || !estimate.hasRtt()) {
            return Math.min(config.initialDepth(), byBytes);
        }
        double bdpBytes = estimate.bytesPerSecond() * estimate.srttNanos() / 1e9;
        long wanted = (long) Math.ceil(bdpBytes / spanBytes) + 1;
        return (int) Math.max(Math.min(2, byBytes), Math.min(wanted, byBytes));
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
        return fromNanos + Math.max(0, estimate.srttNanos()) + (long) (bytes * 1e9 / estimate.bytesPerSecond());
    }

    /** How long a request of {@code bytes} should take to arrive, before slack. */
    static long expectedNanos(PeerEstimator estimate, long bytes, ScheduleConfig config) {
        if (!estimate.hasThroughput()) {
            return config.initialStallNanos();
        }
        long transfer = (long) (bytes * 1e9 / estimate.bytesPerSecond());
        return Math.max(0, estimate.srttNanos()) + transfer;
    }
}
