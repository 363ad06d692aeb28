package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.storage.ContentId;

class LeafLayerFetchTest {
    private static final ContentId ID = ContentId.of(new byte[ContentId.LENGTH_BYTES]);

    @Test
    void aPieceNobodyIsAskedForComesFirstThenOneAskedOfTheFewestPeers() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 12L << 20); // 768 leaves: 3 pieces of the smallest height
        assertThat(fetch.pieceCount()).isEqualTo(3);
        assertThat(fetch.ask(0, 0)).isZero();
        assertThat(fetch.ask(1, 0)).isEqualTo(1);
        assertThat(fetch.ask(2, 0)).isEqualTo(2);

        assertThat(fetch.ask(3, 0)).as("every piece asked once: a second peer takes the first").isZero();
        assertThat(fetch.ask(4, 0)).isEqualTo(1);
        assertThat(fetch.ask(5, 0)).isEqualTo(2);
        assertThat(fetch.ask(6, 0)).as("no piece is asked of more than " + LeafLayerFetch.MAX_ASKERS + " peers")
                .isEqualTo(-1);

        fetch.forget(4);
        assertThat(fetch.ask(6, 0)).isEqualTo(1);
        assertThat(fetch.isAsking(6, 1)).isTrue();
        assertThat(fetch.isAsking(4, 1)).isFalse();
    }

    @Test
    void theLayerComesInAtLeastEightPiecesThatEachFitOneFrame() {
        assertThat(new LeafLayerFetch(ID, 256L << 20).pieceCount()).as("256 MiB: 8 pieces of 64 KiB of hashes")
                .isEqualTo(8);
        assertThat(new LeafLayerFetch(ID, 256L << 20).pieceHeight()).isEqualTo(11);
        assertThat(new LeafLayerFetch(ID, 2L << 30).pieceCount()).isEqualTo(8);
        assertThat(new LeafLayerFetch(ID, 5L << 30).pieceCount()).as("5 GiB: the largest piece that fits is 2 GiB")
                .isEqualTo(10);
        assertThat(new LeafLayerFetch(ID, 2L << 20).pieceCount()).as("a file under one smallest piece").isEqualTo(1);
        for (long length : new long[] {2L << 20, 12L << 20, 256L << 20, 5L << 30}) {
            LeafLayerFetch fetch = new LeafLayerFetch(ID, length);
            assertThat(Hashes.fits(length, fetch.pieceHeight(), 0)).as("pieces of %d bytes fit a frame", length)
                    .isTrue();
        }
    }

    @Test
    void aPeerAskedForSomePiecesIsGivenOnlyPiecesNobodyElseIsAskedFor() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 256L << 20);
        assertThat(fetch.ask(0, 0)).isZero();
        assertThat(fetch.ask(1, 0)).isEqualTo(1);
        assertThat(fetch.ask(0, 0)).isEqualTo(2);
        assertThat(fetch.ask(0, 0)).isEqualTo(3);
        assertThat(fetch.asksOf(0)).isEqualTo(3);
        for (int p = 4; p < 8; p++) {
            assertThat(fetch.ask(1, 0)).isEqualTo(p);
        }
        assertThat(fetch.ask(1, 0)).as("every piece is asked: a busy peer takes no second copy").isEqualTo(-1);
        assertThat(fetch.ask(2, 0)).as("an idle peer does").isZero();

        fetch.forget(0, 2);
        assertThat(fetch.isAsking(0, 2)).isFalse();
        assertThat(fetch.isAsking(0, 3)).as("the peer's other asks stay").isTrue();
        assertThat(fetch.ask(1, 0)).as("a piece whose ask failed goes to another").isEqualTo(2);
        fetch.forget(1);
        assertThat(fetch.asksOf(1)).isZero();
    }

    @Test
    void aSmallFileIsOnePieceAskedOfAtMostTwoPeers() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 2L << 20);
        assertThat(fetch.ask(0, 0)).isZero();
        assertThat(fetch.ask(0, 0)).as("a peer is never asked twice for one piece").isEqualTo(-1);
        assertThat(fetch.ask(1, 0)).isZero();
        assertThat(fetch.ask(2, 0)).isEqualTo(-1);
        fetch.forget(0);
        fetch.forget(1);
        fetch.forget(1);
        assertThat(fetch.ask(2, 0)).as("forgetting more often than asked never goes below nobody").isZero();
        assertThat(fetch.ask(3, 0)).isZero();
        assertThat(fetch.ask(4, 0)).isEqualTo(-1);
    }

    @Test
    void thePiecesOfAPeerThatChokedAreHandedOutAsIfNobodyWereAskedUntilItUnchokes() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 12L << 20); // 3 pieces
        fetch.ask(0, 0);
        fetch.ask(0, 0);
        fetch.ask(0, 0);
        assertThat(fetch.ask(1, 0)).isZero();
        fetch.forget(1);
        fetch.choked(0, true);
        assertThat(fetch.ask(1, 0)).as("a choked peer's asks do not count").isZero();
        assertThat(fetch.ask(1, 0)).isEqualTo(1);
        assertThat(fetch.isAsking(0, 1)).as("its asks stay, so its answer is taken").isTrue();
        fetch.choked(0, false);
        assertThat(fetch.ask(1, 0)).as("unchoked, its asks count again").isEqualTo(-1);
    }

    @Test
    void withdrawingAPieceNamesEveryPeerStillAskedForIt() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 2L << 20);
        fetch.ask(7, 0);
        fetch.ask(9, 0);
        assertThat(fetch.withdrawAsks(0)).containsExactlyInAnyOrder(7, 9);
        assertThat(fetch.isAsking(7, 0)).isFalse();
        assertThat(fetch.withdrawAsks(0)).isEmpty();
    }

    @Test
    void anAskUnansweredForLongerThanTheTimeoutIsOverdueAndAnsweredOrForgottenOnesAreNot() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 5L << 30);
        fetch.ask(3, 1_000);
        fetch.ask(1, 5_000);
        fetch.ask(2, 9_000);
        assertThat(fetch.isOverdue(3, 10_000, 4_000)).isTrue();
        assertThat(fetch.isOverdue(1, 10_000, 4_000)).isTrue();
        assertThat(fetch.isOverdue(2, 10_000, 4_000)).isFalse();
        fetch.forget(3);
        assertThat(fetch.isOverdue(3, 10_000, 4_000)).as("forgotten").isFalse();
        assertThat(fetch.isOverdue(1, 10_000, 20_000)).isFalse();
        assertThat(fetch.isOverdue(7, 10_000, 0)).as("never asked").isFalse();
    }

    @Test
    void aLengthWhoseLeafLayerCannotBeHeldIsRefusedBeforeAnythingIsAllocated() {
        assertThat(LeafLayerFetch.fitsInMemory(5L << 30)).isTrue();
        assertThat(LeafLayerFetch.fitsInMemory(Long.MAX_VALUE)).isFalse();
        assertThat(LeafLayerFetch.fitsInMemory(-1)).isFalse();
    }
}
