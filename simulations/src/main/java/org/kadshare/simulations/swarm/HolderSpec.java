package org.kadshare.simulations.swarm;

/**
 * A holder of the whole file with its own capacity, distance, departure and fault, added to a
 * swarm beside its regular seeders.
 *
 * @param uploadBytesPerSecond its upload capacity
 * @param latencyMillis        its one-way latency to the swarm
 * @param leavesAtMillis       when it leaves (its connections close), or -1 for never
 * @param fault                how it misbehaves, if at all
 */
public record HolderSpec(long uploadBytesPerSecond, long latencyMillis, long leavesAtMillis, Fault fault) {
    /** How a holder misbehaves. A silent holder keeps its connections open and answers nothing more. */
    public enum Fault {
        /** None: an honest holder. */
        NONE,
        /** Accepts connections and never sends its HANDSHAKE. */
        SILENT_AT_HANDSHAKE,
        /** Answers the HANDSHAKE, then falls silent at the first leaf-hashes request. */
        SILENT_IN_LEAF_LAYER,
        /** Serves the leaf layer, then falls silent in the middle of sending its first span. */
        SILENT_MID_SPAN,
        /** Refuses every connection with BUSY (all its places taken). */
        BUSY
    }

    /** Checks the values. */
    public HolderSpec {
        if (uploadBytesPerSecond <= 0 || latencyMillis < 0 || leavesAtMillis < -1 || fault == null) {
            throw new IllegalArgumentException("holder spec out of range: " + uploadBytesPerSecond + " B/s, "
                    + latencyMillis + " ms, leaves at " + leavesAtMillis + ", " + fault);
        }
    }

    /** An honest holder that stays. */
    public static HolderSpec honest(long uploadBytesPerSecond, long latencyMillis) {
        return new HolderSpec(uploadBytesPerSecond, latencyMillis, -1, Fault.NONE);
    }
}
