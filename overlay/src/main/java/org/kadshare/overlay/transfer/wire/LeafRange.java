package org.kadshare.overlay.transfer.wire;

/**
 * Leaves {@code [firstLeaf, firstLeaf + count)} of a file.
 *
 * @param firstLeaf the first leaf, {@code >= 0}
 * @param count     how many, {@code >= 1}; the range ends at or before {@link Limits#MAX_LEAF_COUNT}
 */
public record LeafRange(long firstLeaf, long count) {
    /** Checks the bounds. */
    public LeafRange {
        if (firstLeaf < 0 || count < 1 || count > Limits.MAX_LEAF_COUNT
                || firstLeaf > Limits.MAX_LEAF_COUNT - count) {
            throw new IllegalArgumentException("leaf range [" + firstLeaf + ", +" + count + ") is outside [0, "
                    + Limits.MAX_LEAF_COUNT + ") or empty");
        }
    }

    /** The leaf just past the range. */
    public long endLeaf() {
        return firstLeaf + count;
    }
}
