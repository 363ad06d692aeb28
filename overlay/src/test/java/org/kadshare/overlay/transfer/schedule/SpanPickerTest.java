package org.kadshare.overlay.transfer.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.kadshare.storage.MerkleTree;

class SpanPickerTest {
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }

    @Test
    void takesTheFirstFreeSpanWhenEveryPeerHoldsEverything() {
        LeafLedger ledger = new LeafLedger(16L * L, 16, range(0, 4));
        ledger.addHolder(range(0, 16));
        SpanPicker.Pick pick = SpanPicker.pick(ledger, range(0, 16), 2, true);
        assertThat(pick).isEqualTo(new SpanPicker.Pick(2, 1, 4, 4));
    }

    @Test
    void tiesGoToTheFirstFreeSpanFromTheStartLeafOnWrappingRound() {
        LeafLedger ledger = new LeafLedger(16L * L, 16, new BitSet());
        ledger.addHolder(range(0, 16));
        assertThat(SpanPicker.pick(ledger, range(0, 16), 2, true, 9)).isEqualTo(new SpanPicker.Pick(2, 2, 8, 4));
        ledger.reserve(8, 8);
        assertThat(SpanPicker.pick(ledger, range(0, 16), 2, true, 9)).as("wraps to the start of the file")
                .isEqualTo(new SpanPicker.Pick(2, 0, 0, 4));
        BitSet partial = range(0, 4);
        ledger.addHolder(partial);
        assertThat(SpanPicker.pick(ledger, range(0, 16), 2, false, 9)).as("rarity still comes first")
                .isEqualTo(new SpanPicker.Pick(2, 1, 4, 4));
    }

    @Test
    void prefersTheRarestSpan() {
        LeafLedger ledger = new LeafLedger(16L * L, 16, new BitSet());
        BitSet all = range(0, 16);
        ledger.addHolder(all);
        ledger.addHolder(all);
        BitSet partial = range(0, 12);
        ledger.addHolder(partial);
        // leaves 12..15 are held by two peers, the rest by three
        SpanPicker.Pick pick = SpanPicker.pick(ledger, all, 2, false);
        assertThat(pick.firstLeaf()).isEqualTo(12);
    }

    @Test
    void fallsBackToSmallerSpansAroundHeldAndRequestedLeaves() {
        BitSet held = new BitSet();
        held.set(0);
        held.set(2);
        LeafLedger ledger = new LeafLedger(4L * L, 4, held);
        ledger.reserve(3, 1);
        SpanPicker.Pick pick = SpanPicker.pick(ledger, range(0, 4), 2, true);
        assertThat(pick).isEqualTo(new SpanPicker.Pick(0, 1, 1, 1));
    }

    @Test
    void neverPicksLeavesThePeerLacks() {
        LeafLedger ledger = new LeafLedger(8L * L, 8, new BitSet());
        BitSet peer = range(4, 6);
        ledger.addHolder(peer);
        SpanPicker.Pick pick = SpanPicker.pick(ledger, peer, 3, false);
        assertThat(pick).isEqualTo(new SpanPicker.Pick(1, 2, 4, 2));
    }

    @Test
    void returnsNothingWhenEveryLeafIsHeldOrRequested() {
        LeafLedger ledger = new LeafLedger(8L * L, 8, range(0, 4));
        ledger.reserve(4, 4);
        assertThat(SpanPicker.pick(ledger, range(0, 8), 3, true)).isNull();
    }

    @Test
    void theClippedLastSpanCoversOnlyRealLeaves() {
        LeafLedger ledger = new LeafLedger(5L * L - 100, 5, range(0, 4));
        SpanPicker.Pick pick = SpanPicker.pick(ledger, range(0, 5), 2, true);
        assertThat(pick).isEqualTo(new SpanPicker.Pick(2, 1, 4, 1));
        assertThat(ledger.bytesOf(4, 1)).isEqualTo(L - 100);
    }
}
