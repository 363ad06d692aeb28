package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.dht.HolderStoreTest.peer;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueryPacerTest {
    @Test
    void aBurstGoesAtOnceThenQueriesAreSpacedAtTheRate() {
        QueryPacer pacer = new QueryPacer(10, 3, 10_000, 16);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            delays.add(pacer.delayMillis(peer(1, 1), 0));
        }
        assertThat(delays).containsExactly(0L, 0L, 0L, 100L, 200L, 300L);
        assertThat(pacer.delayMillis(peer(2, 1), 0)).as("another peer has its own budget").isZero();
        assertThat(pacer.delayMillis(peer(1, 2), 0)).as("another port is another node").isZero();
    }

    @Test
    void aPacedNodeNeverTripsAPeersRateLimiterWithTheSameFigures() {
        RateLimiter peerLimit = new RateLimiter(20, 50, 16);
        QueryPacer pacer = new QueryPacer(20, 50, 60_000, 16);
        int dropped = 0;
        int refused = 0;
        for (int i = 0; i < 1_000; i++) {
            long now = i / 100;
            long delay = pacer.delayMillis(peer(1, 1), now);
            if (delay < 0) {
                refused++;
            } else if (!peerLimit.tryAcquire(peer(9, 9).getAddress(), now + delay)) {
                dropped++;
            }
        }
        assertThat(refused).isZero();
        assertThat(dropped).isZero();
    }

    @Test
    void anUnpacedBurstOfTheSameSizeIsDroppedByThePeer() {
        RateLimiter peerLimit = new RateLimiter(20, 50, 16);
        int dropped = 0;
        for (int i = 0; i < 2_000; i++) {
            if (!peerLimit.tryAcquire(peer(9, 9).getAddress(), i / 100)) {
                dropped++;
            }
        }
        assertThat(dropped).isGreaterThan(1_900);
    }

    @Test
    void aQueryWhoseTurnIsBeyondTheMaximumDelayIsRefusedAndBooksNothing() {
        QueryPacer pacer = new QueryPacer(10, 1, 250, 16);
        assertThat(pacer.delayMillis(peer(1, 1), 0)).isZero();
        assertThat(pacer.delayMillis(peer(1, 1), 0)).isEqualTo(100);
        assertThat(pacer.delayMillis(peer(1, 1), 0)).isEqualTo(200);
        assertThat(pacer.delayMillis(peer(1, 1), 0)).isEqualTo(-1);
        assertThat(pacer.delayMillis(peer(1, 1), 300)).as("its turn came").isZero();
    }

    @Test
    void idlePeersRefillAndTheTrackedPeersAreBounded() {
        QueryPacer pacer = new QueryPacer(10, 2, 10_000, 4);
        pacer.delayMillis(peer(1, 1), 0);
        pacer.delayMillis(peer(1, 1), 0);
        assertThat(pacer.delayMillis(peer(1, 1), 1_000)).isZero();
        for (int i = 0; i < 100; i++) {
            pacer.delayMillis(peer(2, i), 0);
        }
        assertThat(pacer.trackedPeers()).isEqualTo(4);
    }
}
