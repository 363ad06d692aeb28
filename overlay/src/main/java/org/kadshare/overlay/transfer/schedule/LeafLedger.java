package org.kadshare.overlay.transfer.schedule;

import java.util.BitSet;
import org.kadshare.storage.MerkleTree;

/**
 * Per-leaf bookkeeping of one download: which leaves are held, how many live requests cover each,
 * and how many connected peers hold each (for rarest-first).
 *
 * <p>A leaf is <em>free</em> when it is neither held nor covered by a live request; {@code busy}
 * is the complement, kept as a bit set so the picker can jump over long held or requested runs
 * with {@link BitSet#nextClearBit}. Memory is about 3 bytes and 2 bits per leaf (a 1 GiB file has
 * 65,536 leaves).
 */
final class LeafLedger {
    private final long lengthBytes;
    private final int leafCount;
    private final BitSet held;
    private final BitSet busy;
    private final byte[] inFlight;
    private final short[] availability;

    LeafLedger(long lengthBytes, int leafCount, BitSet initiallyHeld) {
        this.lengthBytes = lengthBytes;
        this.leafCount = leafCount;
        this.held = (BitSet) initiallyHeld.clone();
        this.held.clear(leafCount, Math.max(leafCount, held.length()));
        this.busy = (BitSet) held.clone();
        this.inFlight = new byte[leafCount];
        this.availability = new short[leafCount];
    }

    int leafCount() {
        return leafCount;
    }

    long lengthBytes() {
        return lengthBytes;
    }

    boolean isHeld(long leaf) {
        return held.get((int) leaf);
    }

    boolean isFree(int leaf) {
        return !busy.get(leaf);
    }

    /** First free leaf at or after {@code from}, or {@code leafCount} if none. */
    int nextFree(int from) {
        return Math.min(busy.nextClearBit(from), leafCount);
    }

    /** Whether {@code leaves} include one not held yet. */
    boolean anyMissingIn(BitSet leaves) {
        BitSet missing = (BitSet) leaves.clone();
        missing.andNot(held);
        return !missing.isEmpty();
    }

    /** Leaves neither held nor requested. */
    int freeLeafCount() {
        return leafCount - busy.cardinality();
    }

    int heldCount() {
        return held.cardinality();
    }

    boolean allHeld() {
        return held.nextClearBit(0) >= leafCount;
    }

    boolean allHeld(long first, int count) {
        return held.nextClearBit((int) first) >= first + count;
    }

    int availability(int leaf) {
        return availability[leaf];
    }

    void reserve(long first, int count) {
        for (int i = (int) first; i < first + count; i++) {
            if (inFlight[i] == Byte.MAX_VALUE) {
                throw new IllegalStateException("leaf " + i + " is already in " + Byte.MAX_VALUE + " requests");
            }
            inFlight[i]++;
            busy.set(i);
        }
    }

    void release(long first, int count) {
        for (int i = (int) first; i < first + count; i++) {
            if (inFlight[i] == 0) {
                throw new IllegalStateException("leaf " + i + " released more often than reserved");
            }
            if (--inFlight[i] == 0 && !held.get(i)) {
                busy.clear(i);
            }
        }
    }

    void markHeld(long first, int count) {
        held.set((int) first, (int) (first + count));
        busy.set((int) first, (int) (first + count));
    }

    void addHolder(BitSet leaves) {
        for (int i = leaves.nextSetBit(0); i >= 0 && i < leafCount; i = leaves.nextSetBit(i + 1)) {
            availability[i]++;
        }
    }

    void removeHolder(BitSet leaves) {
        for (int i = leaves.nextSetBit(0); i >= 0 && i < leafCount; i = leaves.nextSetBit(i + 1)) {
            availability[i]--;
        }
    }

    /** Byte length of the leaves {@code [first, first + count)}. */
    long bytesOf(long first, int count) {
        long start = first * MerkleTree.LEAF_SIZE_BYTES;
        long end = Math.min((first + count) * MerkleTree.LEAF_SIZE_BYTES, lengthBytes);
        return Math.max(0, end - start);
    }
}
