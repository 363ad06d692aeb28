package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReverseConnectLimitTest {
    @Test
    void oneSourceGetsItsShareAMinuteAndThenWaitsForTheMinuteToPass() {
        ReverseConnectLimit limit = new ReverseConnectLimit(60, 4, 100);
        for (int i = 0; i < 4; i++) {
            assertThat(limit.tryAcquire("getter", "holder" + i, i * 1_000)).isTrue();
        }
        assertThat(limit.tryAcquire("getter", "holder9", 10_000)).isFalse();
        assertThat(limit.tryAcquire("getter", "holder9", 60_000)).isTrue();
    }

    @Test
    void oneTargetIsAskedForAtMostItsShareHoweverManySourcesAsk() {
        ReverseConnectLimit limit = new ReverseConnectLimit(60, 10, 6);
        int passed = 0;
        for (int i = 0; i < 30; i++) {
            passed += limit.tryAcquire("getter" + i, "holder", 0) ? 1 : 0;
        }
        assertThat(passed).isEqualTo(6);
    }

    @Test
    void aFloodFromManySourcesStopsAtTheTotalAndLeavesNoMoreThanItInMemory() {
        ReverseConnectLimit limit = new ReverseConnectLimit(60, 10, 6);
        int passed = 0;
        for (int i = 0; i < 10_000; i++) {
            passed += limit.tryAcquire("getter" + i, "holder" + i, i) ? 1 : 0;
        }
        assertThat(passed).isEqualTo(60);
    }

    @Test
    void anHonestGetterAskingForEachOfSeveralHoldersOnceIsNeverRefused() {
        ReverseConnectLimit limit = new ReverseConnectLimit(60, 10, 6);
        for (int other = 0; other < 40; other++) {
            limit.tryAcquire("someone" + other, "holder" + other, 0);
        }
        for (int h = 0; h < 8; h++) {
            assertThat(limit.tryAcquire("honest", "holderOf" + h, 1_000 + h)).isTrue();
        }
    }
}
