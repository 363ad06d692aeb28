package org.kadshare.overlay.transfer.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BusyBackoffTest {
    @Test
    void thePauseDoublesWithEachBusyInARowUpToTheLongestPause() {
        BusyBackoff backoff = new BusyBackoff(500);
        assertThat(backoff.pauseMillis(1)).isEqualTo(500);
        assertThat(backoff.pauseMillis(2)).isEqualTo(1_000);
        assertThat(backoff.pauseMillis(4)).isEqualTo(4_000);
        assertThat(backoff.pauseMillis(5)).isEqualTo(BusyBackoff.MAX_PAUSE_MILLIS);
        assertThat(backoff.pauseMillis(1_000)).isEqualTo(BusyBackoff.MAX_PAUSE_MILLIS);
    }

    @Test
    void aHolderIsGivenUpOnlyAfterEnoughBusyAnswersInARow() {
        BusyBackoff backoff = new BusyBackoff(500);
        assertThat(backoff.givesUp(1)).isFalse();
        assertThat(backoff.givesUp(BusyBackoff.MAX_BUSY_IN_A_ROW - 1)).isFalse();
        assertThat(backoff.givesUp(BusyBackoff.MAX_BUSY_IN_A_ROW)).isTrue();
    }

    @Test
    void aFirstPauseLongerThanTheLongestIsKeptAndNoPauseStaysNone() {
        assertThat(new BusyBackoff(20_000).pauseMillis(3)).isEqualTo(20_000);
        assertThat(new BusyBackoff(0).pauseMillis(3)).isZero();
    }
}
