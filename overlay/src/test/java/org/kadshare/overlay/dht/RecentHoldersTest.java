package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RecentHoldersTest {
    private static NodeId key(long seed) {
        return NodeId.random(new SplittableRandom(seed));
    }

    private static InetSocketAddress holder(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void aKeysHoldersAreHandedOverUntilTheyAreNoLongerFresh() {
        RecentHolders recent = new RecentHolders(50);
        recent.found(key(1), List.of(holder(1), holder(2)), 1_000);
        assertThat(recent.fresh(key(1), 1_000 + RecentHolders.FRESH_MILLIS)).containsExactly(holder(1), holder(2));
        assertThat(recent.fresh(key(2), 1_000)).isEmpty();
        assertThat(recent.fresh(key(1), 1_001 + RecentHolders.FRESH_MILLIS)).isEmpty();
        assertThat(recent.size()).isZero();
    }

    @Test
    void theLatestLookupReplacesWhatAnEarlierOneFoundAndOneThatFoundNothingForgetsTheKey() {
        RecentHolders recent = new RecentHolders(50);
        recent.found(key(1), List.of(holder(1), holder(2)), 0);
        recent.found(key(1), List.of(holder(2)), 10);
        assertThat(recent.fresh(key(1), 20)).containsExactly(holder(2));
        recent.found(key(1), List.of(), 30);
        assertThat(recent.fresh(key(1), 40)).isEmpty();
    }

    @Test
    void keysAndHoldersPerKeyAreBoundedAndTheOldestKeyGoesFirst() {
        RecentHolders recent = new RecentHolders(3);
        List<InetSocketAddress> many = new ArrayList<>();
        for (int p = 1; p <= 10; p++) {
            many.add(holder(p));
        }
        for (int k = 0; k < RecentHolders.MAX_KEYS + 5; k++) {
            recent.found(key(k), many, k);
        }
        assertThat(recent.size()).isEqualTo(RecentHolders.MAX_KEYS);
        assertThat(recent.fresh(key(4), 100)).as("among the oldest, dropped").isEmpty();
        assertThat(recent.fresh(key(5), 100)).containsExactly(holder(1), holder(2), holder(3));
        assertThat(recent.fresh(key(RecentHolders.MAX_KEYS + 4), 100)).hasSize(3);
    }
}
