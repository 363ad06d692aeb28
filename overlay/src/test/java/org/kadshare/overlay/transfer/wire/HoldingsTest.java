package org.kadshare.overlay.transfer.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class HoldingsTest {

    @Test
    void aPackedBitfieldUnpacksMostSignificantBitFirstAndAgreesWithHas() {
        Holdings h = Holdings.partial(new byte[] {(byte) 0b1010_0000, (byte) 0b0000_0001});
        BitSet leaves = h.leaves(16);
        assertThat(leaves.stream().toArray()).containsExactly(0, 2, 15);
        for (int i = 0; i < 16; i++) {
            assertThat(leaves.get(i)).as("leaf %d", i).isEqualTo(h.has(i));
        }
    }

    @Test
    void leavesBeyondTheLeafCountAreNeverReported() {
        assertThat(Holdings.partial(new byte[] {(byte) 0xff}).leaves(3).stream().toArray()).containsExactly(0, 1, 2);
    }

    @Test
    void completeHoldsEveryLeafAndNoneHoldsNothing() {
        assertThat(Holdings.complete().leaves(5).cardinality()).isEqualTo(5);
        assertThat(Holdings.none().leaves(5).isEmpty()).isTrue();
    }

    @Test
    void aSetOfLeavesPacksIntoTheBitfieldThatUnpacksToItAndTheEndsAreNoneAndComplete() {
        BitSet leaves = new BitSet();
        leaves.set(0);
        leaves.set(9);
        leaves.set(12, 14);
        Holdings h = Holdings.of(leaves, 14 + 3);
        assertThat(h.kind()).isEqualTo(Holdings.Kind.PARTIAL);
        assertThat(h.bitfield()).hasSize(3);
        assertThat(h.leaves(17)).isEqualTo(leaves);
        assertThat(Holdings.of(new BitSet(), 17).kind()).isEqualTo(Holdings.Kind.NONE);
        BitSet all = new BitSet();
        all.set(0, 17);
        assertThat(Holdings.of(all, 17).kind()).isEqualTo(Holdings.Kind.COMPLETE);
    }
}
