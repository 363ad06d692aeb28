package org.kadshare.overlay.transfer.schedule;

import java.util.BitSet;
import java.util.TreeSet;

/** What a schedule knows about one connected peer. */
final class PeerState {
    final int peer;
    final BitSet leaves;
    final PeerEstimator estimate = new PeerEstimator();
    /** IDs of requests sent and not yet arrived, oldest first. */
    final TreeSet<Long> outstanding = new TreeSet<>();
    long outstandingBytes;
    long connectedAtNanos;
    boolean stalled;
    boolean choked;
    /** Start of the current wait for progress: the last arrival or unchoke. */
    long quietSinceNanos = Long.MIN_VALUE;
    /** When the pipeline last went from empty to busy. */
    long busySinceNanos = Long.MIN_VALUE;
    long spansArrived;
    long bytesArrived;

    PeerState(int peer, BitSet leaves, long connectedAtNanos) {
        this.peer = peer;
        this.leaves = leaves;
        this.connectedAtNanos = connectedAtNanos;
    }

    boolean holdsAll(int leafCount) {
        return leaves.nextClearBit(0) >= leafCount;
    }
}
