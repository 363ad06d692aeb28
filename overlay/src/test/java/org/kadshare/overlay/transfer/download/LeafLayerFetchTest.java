package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kadshare.storage.ContentId;

class LeafLayerFetchTest {
    private static final ContentId ID = ContentId.of(new byte[ContentId.LENGTH_BYTES]);

    @Test
    void aPieceNobodyIsAskedForComesFirstThenOneAskedOfTheFewestPeers() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 5L << 30);
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
    void aSmallFileIsOnePieceAskedOfAtMostTwoPeers() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 2L << 20);
        assertThat(fetch.ask(0, 0)).isZero();
        assertThat(fetch.ask(0, 0)).as("a peer asks one piece at a time").isEqualTo(-1);
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
