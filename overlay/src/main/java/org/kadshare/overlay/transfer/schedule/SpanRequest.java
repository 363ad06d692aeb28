package org.kadshare.overlay.transfer.schedule;

/**
 * One span asked of one peer: aligned span {@code (height, index)} covering leaves
 * {@code [firstLeaf, firstLeaf + leafCount)}, {@code lengthBytes} long.
 *
 * @param id          unique within its schedule, increasing in the order requests were made
 * @param peer        the caller's number for the peer asked
 * @param sentAtNanos when the schedule handed it out
 * @param duplicate   whether another peer was already asked for the same span (endgame)
 */
public record SpanRequest(long id, int peer, int height, long index, long firstLeaf, int leafCount,
        long lengthBytes, long sentAtNanos, boolean duplicate) {

    public SpanRequest {
        if (height < 0 || index < 0 || firstLeaf != index << height || leafCount < 1 || leafCount > 1L << height
                || lengthBytes < 0) {
            throw new IllegalArgumentException("span request " + id + ": span (" + height + ", " + index
                    + ") with leaves from " + firstLeaf + " x" + leafCount + ", " + lengthBytes + " bytes, is malformed");
        }
    }

    /** One past the last leaf covered. */
    public long endLeaf() {
        return firstLeaf + leafCount;
    }

    /** Whether it names the same span as {@code other}. */
    public boolean sameSpan(SpanRequest other) {
        return height == other.height && index == other.index;
    }

    /** Whether it shares a leaf with {@code other}. */
    public boolean overlaps(SpanRequest other) {
        return firstLeaf < other.endLeaf() && other.firstLeaf < endLeaf();
    }
}
