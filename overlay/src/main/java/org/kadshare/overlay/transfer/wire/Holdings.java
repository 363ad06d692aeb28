package org.kadshare.overlay.transfer.wire;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a peer holds of one file, as it says in its {@link Handshake}: nothing, all of it, or the
 * leaves set in a bitfield packed most-significant bit first (leaf 0 is the top bit of byte 0),
 * as the block store packs it. A bitfield is checked against the leaf count by the handshake.
 *
 * @param kind     which of the three
 * @param bitfield the packed bitfield for {@link Kind#PARTIAL}, empty otherwise (copied)
 */
public record Holdings(Kind kind, byte[] bitfield) {
    /** The three forms. */
    public enum Kind {
        /** Nothing (a downloader that has no verified leaf yet). */
        NONE,
        /** Every leaf. */
        COMPLETE,
        /** The leaves set in the bitfield. */
        PARTIAL
    }

    private static final byte[] EMPTY = new byte[0];

    /** Checks that only {@link Kind#PARTIAL} carries a bitfield. */
    public Holdings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(bitfield, "bitfield");
        if (kind != Kind.PARTIAL && bitfield.length != 0) {
            throw new IllegalArgumentException("holdings " + kind + " carry no bitfield, got " + bitfield.length
                    + " bytes");
        }
        bitfield = bitfield.clone();
    }

    /** Holds nothing. */
    public static Holdings none() {
        return new Holdings(Kind.NONE, EMPTY);
    }

    /** Holds every leaf. */
    public static Holdings complete() {
        return new Holdings(Kind.COMPLETE, EMPTY);
    }

    /** Holds the leaves set in {@code packedBitfield}. */
    public static Holdings partial(byte[] packedBitfield) {
        return new Holdings(Kind.PARTIAL, packedBitfield);
    }

    /** The holdings of the leaves set in {@code leaves} among the first {@code leafCount}. */
    public static Holdings of(BitSet leaves, int leafCount) {
        int first = leaves.nextSetBit(0);
        if (first < 0 || first >= leafCount) {
            return none();
        }
        if (leaves.nextClearBit(0) >= leafCount) {
            return complete();
        }
        byte[] packed = new byte[(int) packedLength(leafCount)];
        for (int i = first; i >= 0 && i < leafCount; i = leaves.nextSetBit(i + 1)) {
            packed[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
        return partial(packed);
    }

    /** Bytes of a packed bitfield of {@code leafCount} leaves. */
    public static long packedLength(long leafCount) {
        return (leafCount + 7) / 8;
    }

    /** Whether leaf {@code leaf} is held (false for a leaf outside the bitfield). */
    public boolean has(long leaf) {
        return switch (kind) {
            case NONE -> false;
            case COMPLETE -> leaf >= 0;
            case PARTIAL -> leaf >= 0 && (leaf >>> 3) < bitfield.length
                    && (bitfield[(int) (leaf >>> 3)] & (0x80 >>> (leaf & 7))) != 0;
        };
    }

    /** The held leaves among the first {@code leafCount}, as a set of leaf indexes. */
    public BitSet leaves(int leafCount) {
        BitSet bits = new BitSet(leafCount);
        switch (kind) {
            case NONE -> { }
            case COMPLETE -> bits.set(0, leafCount);
            case PARTIAL -> {
                int n = (int) Math.min(leafCount, 8L * bitfield.length);
                for (int i = 0; i < n; i++) {
                    if ((bitfield[i >>> 3] & (0x80 >>> (i & 7))) != 0) {
                        bits.set(i);
                    }
                }
            }
        }
        return bits;
    }

    /** A copy of the packed bitfield (empty unless {@link Kind#PARTIAL}). */
    @Override
    public byte[] bitfield() {
        return bitfield.clone();
    }

    int bitfieldLength() {
        return bitfield.length;
    }

    byte[] bitfieldView() {
        return bitfield;
    }

    /**
     * Checks these holdings against a file of {@code leafCount} leaves.
     *
     * @throws IllegalArgumentException if the bitfield has the wrong size or sets a bit past the
     *     last leaf
     */
    void checkFor(long leafCount) {
        if (kind != Kind.PARTIAL) {
            return;
        }
        if (bitfield.length != packedLength(leafCount)) {
            throw new IllegalArgumentException("a bitfield of " + leafCount + " leaves is " + packedLength(leafCount)
                    + " bytes, got " + bitfield.length);
        }
        int usedBits = (int) (leafCount - 8 * (packedLength(leafCount) - 1));
        int spare = bitfield[bitfield.length - 1] & (0xFF >>> usedBits);
        if (spare != 0) {
            throw new IllegalArgumentException("the bitfield sets bits past leaf " + (leafCount - 1));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Holdings h && kind == h.kind && Arrays.equals(bitfield, h.bitfield);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(bitfield);
    }

    @Override
    public String toString() {
        return kind == Kind.PARTIAL
                ? "Holdings[PARTIAL " + HexFormat.of().formatHex(bitfield, 0, Math.min(16, bitfield.length))
                        + (bitfield.length > 16 ? "..." : "") + "]"
                : "Holdings[" + kind + "]";
    }
}
