package org.kadshare.overlay.transfer.schedule;

import org.kadshare.storage.MerkleTree;

/**
 * The knobs of a {@link DownloadSchedule}. Every time is in nanoseconds of whatever clock the
 * caller passes in; every limit bounds something a remote peer could otherwise push on.
 *
 * @param maxSpanHeight          the largest span asked for, as a height: 2^h leaves of 16 KiB
 *                               (6 = 1 MiB); at most 8 (4 MiB, the block store's span limit)
 * @param initialSpanHeight      span height for a peer with no throughput measured yet
 * @param initialDepth           requests in flight to a peer with no estimates yet
 * @param maxDepth               requests in flight to one peer, at most
 * @param maxInFlightBytesPerPeer bytes requested from one peer and not yet arrived, at most
 * @param targetRequestNanos     how long one request should take to serve at the peer's measured
 *                               throughput: the span size is throughput times this
 * @param stallFactor            a peer is stalled when its oldest request has made no progress for
 *                               this many times its expected time
 * @param minStallNanos          never call a peer stalled sooner than this
 * @param initialStallNanos      expected time of a request to a peer with no estimates yet
 * @param maxCopies              how many peers may be asked for the same span at once (endgame)
 */
public record ScheduleConfig(int maxSpanHeight, int initialSpanHeight, int initialDepth, int maxDepth,
        long maxInFlightBytesPerPeer, long targetRequestNanos, int stallFactor, long minStallNanos,
        long initialStallNanos, int maxCopies) {

    /** Largest span height a schedule accepts: 256 leaves, 4 MiB. */
    public static final int MAX_SPAN_HEIGHT_LIMIT = 8;

    public ScheduleConfig {
        check(maxSpanHeight >= 0 && maxSpanHeight <= MAX_SPAN_HEIGHT_LIMIT, "maxSpanHeight", maxSpanHeight);
        check(initialSpanHeight >= 0 && initialSpanHeight <= maxSpanHeight, "initialSpanHeight", initialSpanHeight);
        check(maxDepth >= 1 && maxDepth <= 256, "maxDepth", maxDepth);
        check(initialDepth >= 1 && initialDepth <= maxDepth, "initialDepth", initialDepth);
        check(maxInFlightBytesPerPeer >= (long) MerkleTree.LEAF_SIZE_BYTES << maxSpanHeight,
                "maxInFlightBytesPerPeer", maxInFlightBytesPerPeer);
        check(targetRequestNanos > 0, "targetRequestNanos", targetRequestNanos);
        check(stallFactor >= 1, "stallFactor", stallFactor);
        check(minStallNanos > 0, "minStallNanos", minStallNanos);
        check(initialStallNanos > 0, "initialStallNanos", initialStallNanos);
        check(maxCopies >= 1 && maxCopies <= 8, "maxCopies", maxCopies);
    }

    /**
     * Defaults: spans of 16 KiB to 1 MiB sized for 100 ms of the peer's throughput, 4 requests
     * in flight to a new peer and up to 16, at most 32 MiB outstanding per peer, a peer stalled
     * after 4 times its expected time (at least 1 s; 5 s before anything is measured), and at most
     * 2 copies of a span in the endgame.
     */
    public static ScheduleConfig defaults() {
        return new ScheduleConfig(6, 2, 4, 16, 32L << 20, 100_000_000L, 4, 1_000_000_000L, 5_000_000_000L, 2);
    }

    /** The same config with other stall times (tests use short ones). */
    public ScheduleConfig withStallNanos(long minStall, long initialStall) {
        return new ScheduleConfig(maxSpanHeight, initialSpanHeight, initialDepth, maxDepth, maxInFlightBytesPerPeer,
                targetRequestNanos, stallFactor, minStall, initialStall, maxCopies);
    }

    /** The same config with another largest span height. */
    public ScheduleConfig withMaxSpanHeight(int height) {
        return new ScheduleConfig(height, Math.min(initialSpanHeight, height), initialDepth, maxDepth,
                Math.max(maxInFlightBytesPerPeer, (long) MerkleTree.LEAF_SIZE_BYTES << height), targetRequestNanos,
                stallFactor, minStallNanos, initialStallNanos, maxCopies);
    }

    private static void check(boolean ok, String name, long value) {
        if (!ok) {
            throw new IllegalArgumentException("schedule config: " + name + " = " + value + " is out of range");
        }
    }
}
