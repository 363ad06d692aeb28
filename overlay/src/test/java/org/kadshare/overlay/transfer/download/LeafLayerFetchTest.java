package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.kadshare.storage.ContentId;

class LeafLayerFetchTest {
    private static final ContentId ID = ContentId.of(new byte[ContentId.LENGTH_BYTES]);

    @Test
    void aPieceNobodyIsAskedForComesFirstThenOneAskedOfTheFewestPeers() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 5L << 30);
        assertThat(fetch.nextPiece()).isZero();
        fetch.asking(0);
        assertThat(fetch.nextPiece()).isEqualTo(1);
        fetch.asking(1);
        assertThat(fetch.nextPiece()).isEqualTo(2);
        fetch.asking(2);

        assertThat(fetch.nextPiece()).as("every piece asked once: a second peer takes the first").isZero();
        fetch.asking(0);
        assertThat(fetch.nextPiece()).isEqualTo(1);
        fetch.asking(1);
        fetch.asking(2);
        assertThat(fetch.nextPiece()).as("no piece is asked of more than " + LeafLayerFetch.MAX_ASKERS + " peers")
                .isEqualTo(-1);

        fetch.giveUp(1);
        assertThat(fetch.nextPiece()).isEqualTo(1);
    }

    @Test
    void aSmallFileIsOnePieceAskedOfAtMostTwoPeers() {
        LeafLayerFetch fetch = new LeafLayerFetch(ID, 2L << 20);
        assertThat(fetch.nextPiece()).isZero();
        fetch.asking(0);
        assertThat(fetch.nextPiece()).isZero();
        fetch.asking(0);
        assertThat(fetch.nextPiece()).isEqualTo(-1);
        fetch.giveUp(0);
        fetch.giveUp(0);
        fetch.giveUp(0);
        assertThat(fetch.nextPiece()).as("giving up more often than asked never goes below nobody").isZero();
        fetch.asking(0);
        fetch.asking(0);
        assertThat(fetch.nextPiece()).isEqualTo(-1);
    }
}
