package org.kadshare.overlay.transfer.wire;

import java.util.List;
import java.util.Objects;

/**
 * The sender gained these leaves (verified and stored) since its handshake: a partial holder
 * tells its peers as it goes. One range or a list of them, at most {@link Limits#MAX_HAVE_RANGES}.
 *
 * @param ranges the leaves gained (copied); the receiver ignores a range past the file's end
 */
public record Have(List<LeafRange> ranges) implements Frame {
    /** Checks the count. */
    public Have {
        Objects.requireNonNull(ranges, "ranges");
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty() || ranges.size() > Limits.MAX_HAVE_RANGES) {
            throw new IllegalArgumentException("a HAVE carries 1 to " + Limits.MAX_HAVE_RANGES + " ranges, got "
                    + ranges.size());
        }
    }

    /** One range. */
    public static Have of(long firstLeaf, long count) {
        return new Have(List.of(new LeafRange(firstLeaf, count)));
    }

    @Override
    public FrameType type() {
        return FrameType.HAVE;
    }
}
