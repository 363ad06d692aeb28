package org.kadshare.storage.internal;

import java.util.BitSet;

/**
 * Which leaves of a partial download are held (written, forced to disk and verified). Packed
 * most-significant bit first, leaf 0 in the top bit of byte 0, as BitTorrent packs its bitfield;
 * bits past the last leaf are zero.
 */
public final class LeafBitfield {
    private final long leafCount;
    private final BitSet bits;

    /** An empty bitfield of {@code leafCount} leaves. */
    public LeafBitfield(long leafCount) {
        if (leafCount < 1 || leafCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("leaf count out of range: " + leafCount);
        }
        this.leafCount = leafCount;
        this.bits = new BitSet((int) leafCount);
    }

    /**
     * Unpacks {@code packed} for {@code leafCount} leaves.
     *
     * @throws CorruptRecordException if the size is wrong or bits past the last leaf are set
     */
    public static LeafBitfield unpack(long leafCount, byte[] packed) throws CorruptRecordException {
        LeafBitfield field = new LeafBitfield(leafCount);
        if (packed.length != packedLength(leafCount)) {
            throw new CorruptRecordException("bitfield of " + leafCount + " leaves is " + packedLength(leafCount)
                    + " bytes, got " + packed.length);
        }
        for (int byteIndex = 0; byteIndex < packed.length; byteIndex++) {
            int b = packed[byteIndex] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                if ((b & (0x80 >>> bit)) != 0) {
                    long leaf = byteIndex * 8L + bit;
                    if (leaf >= leafCount) {
                        throw new CorruptRecordException("bitfield sets leaf " + leaf + " of only " + leafCount);
                    }
                    field.bits.set((int) leaf);
                }
            }
        }
        return field;
    }

    /** Bytes needed to pack {@code leafCount} bits. */
    public static int packedLength(long leafCount) {
        return (int) ((leafCount + 7) / 8);
    }

    /** The packed form. */
    public byte[] pack() {
        byte[] packed = new byte[packedLength(leafCount)];
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            packed[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return packed;
    }

    /** Number of leaves. */
    public long leafCount() {
        return leafCount;
    }

    /** Whether leaf {@code leaf} is held. */
    public boolean isHeld(long leaf) {
        return bits.get(checked(leaf));
    }

    /** Marks leaf {@code leaf} held. */
    public void set(long leaf) {
        bits.set(checked(leaf));
    }

    /** Marks leaf {@code leaf} missing. */
    public void clear(long leaf) {
        bits.clear(checked(leaf));
    }

    /** Number of held leaves. */
    public long heldCount() {
        return bits.cardinality();
    }

    /** Whether every leaf is held. */
    public boolean isComplete() {
        return heldCount() == leafCount;
    }

    /** The first missing leaf at or after {@code from}, or -1 if none. */
    public long nextMissing(long from) {
        if (from >= leafCount) {
            return -1;
        }
        int next = bits.nextClearBit(checked(from));
        return next < leafCount ? next : -1;
    }

    /** An independent copy. */
    public LeafBitfield copy() {
        LeafBitfield copy = new LeafBitfield(leafCount);
        copy.bits.or(bits);
        return copy;
    }

    private int checked(long leaf) {
        if (leaf < 0 || leaf >= leafCount) {
            throw new IndexOutOfBoundsException("leaf " + leaf + " outside 0.." + (leafCount - 1));
        }
        return (int) leaf;
    }
}
