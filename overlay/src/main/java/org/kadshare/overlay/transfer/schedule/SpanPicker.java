package org.kadshare.overlay.transfer.schedule;

import java.util.BitSet;

/**
 * Chooses the next span to ask one peer for: an aligned span whose leaves are all free (neither
 * held nor requested) and all held by that peer. Pure apart from reading the ledger.
 *
 * <p>Design note. Spans are tried at the wanted height first and then at each lower height, so a
 * peer still gets work when only scattered leaves are left (after a resume, or next to spans of
 * other sizes in flight). Among the candidates of one height the rarest wins: a span's rarity is
 * the fewest connected peers holding any of its leaves, so leaves only one partial holder has are
 * fetched while it is still there. Ties go to the first span in order from the download's start
 * leaf, wrapping round at the end: a download starts at a random leaf, so getters that arrive
 * together at one seeder fetch different spans and have something to give each other at once
 * (a simulated flash crowd showed every getter fetching the same spans in the same order from
 * the seeder when ties went to the lowest index), while each download's order stays sequential
 * from there. When every peer holds everything (the common case of complete holders) the first
 * free span in that order is taken at once. Otherwise one pick scans the free leaves once, O(leaves); a 1 GiB file
 * has 65,536, and picks happen once per span, not per leaf.
 */
final class SpanPicker {

    private SpanPicker() {
    }

    /** A chosen span. */
    record Pick(int height, long index, long firstLeaf, int leafCount) {
    }

    /**
     * The span to ask for, at {@code height} or lower, or {@code null} if this peer holds no free
     * leaf. {@code uniform} says every connected peer holds every leaf, so rarity cannot differ.
     * Ties go to the lowest index.
     */
    static Pick pick(LeafLedger ledger, BitSet peerLeaves, int height, boolean uniform) {
        return pick(ledger, peerLeaves, height, uniform, 0);
    }

    /** Like {@link #pick(LeafLedger, BitSet, int, boolean)}, ties going to the first span from {@code startLeaf} on, wrapping. */
    static Pick pick(LeafLedger ledger, BitSet peerLeaves, int height, boolean uniform, int startLeaf) {
        for (int h = height; h >= 0; h--) {
            Pick pick = pickAt(ledger, peerLeaves, h, uniform, startLeaf);
            if (pick != null) {
                return pick;
            }
        }
        return null;
    }

    private static Pick pickAt(LeafLedger ledger, BitSet peerLeaves, int h, boolean uniform, int startLeaf) {
        int leafCount = ledger.leafCount();
        int start = (int) (((long) Math.max(0, Math.min(startLeaf, leafCount - 1)) >> h) << h);
        Pick best = null;
        int bestRarity = Integer.MAX_VALUE;
        for (int pass = 0; pass < 2; pass++) {
            int end = pass == 0 ? leafCount : start;
            int leaf = ledger.nextFree(pass == 0 ? start : 0);
            while (leaf < end) {
                long index = (long) leaf >> h;
                int first = (int) (index << h);
                int count = (int) Math.min(1L << h, leafCount - first);
                int rarity = rarityIfEligible(ledger, peerLeaves, first, count);
                if (rarity > 0) {
                    if (uniform || rarity == 1) {
                        return new Pick(h, index, first, count);
                    }
                    if (rarity < bestRarity) {
                        bestRarity = rarity;
                        best = new Pick(h, index, first, count);
                    }
                }
                leaf = ledger.nextFree(first + count);
            }
        }
        return best;
    }

    /** The span's rarity if every leaf is free and held by the peer, else 0. */
    private static int rarityIfEligible(LeafLedger ledger, BitSet peerLeaves, int first, int count) {
        if (peerLeaves.nextClearBit(first) < first + count) {
            return 0;
        }
        int rarity = Integer.MAX_VALUE;
        for (int i = first; i < first + count; i++) {
            if (!ledger.isFree(i)) {
                return 0;
            }
            rarity = Math.min(rarity, ledger.availability(i));
        }
        return Math.max(rarity, 1);
    }
}
