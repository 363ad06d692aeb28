package org.kadshare.overlay.transfer.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressRuleTest {
    private static final long MS = 1_000_000;
    private static final long T0 = 1_000 * MS;
    private final ProgressRule rule = new ProgressRule(ServerConfig.defaults().toBuilder().handshakeTimeoutMillis(5_000)
            .idleTimeoutMillis(60_000).progressGraceMillis(10_000).minProgressBytesPerSecond(4_096).build());

    private static ProgressRule.Snapshot waitingForHandshake() {
        return new ProgressRule.Snapshot(T0, false, false, 0, 0, 0, 0, 0, 0, 0);
    }

    private static ProgressRule.Snapshot handshaken(boolean busy, long idleSince) {
        return new ProgressRule.Snapshot(T0, true, busy, idleSince, 0, 0, 0, 0, 0, 0);
    }

    private static ProgressRule.Snapshot receiving(long start, long bytes, long moved) {
        return new ProgressRule.Snapshot(T0, true, false, start, start, bytes, moved, 0, 0, 0);
    }

    private static ProgressRule.Snapshot replying(long start, long drained, long moved) {
        return new ProgressRule.Snapshot(T0, true, true, start, 0, 0, 0, start, drained, moved);
    }

    @Test
    void aConnectionWithoutAHandshakeIsKeptUntilTheDeadlineAndClosedAtIt() {
        assertThat(rule.verdict(waitingForHandshake(), T0 + 4_999 * MS)).isNull();
        assertThat(rule.verdict(waitingForHandshake(), T0 + 5_000 * MS)).contains("no HANDSHAKE within 5000 ms");
    }

    @Test
    void aFrameTrickledAtOneBytePerSecondIsClosedOnceTheGraceIsSpent() {
        long start = T0 + 100 * MS;
        for (long s = 1; s < 10; s++) {
            assertThat(rule.verdict(receiving(start, s, start + s * 1_000 * MS), start + s * 1_000 * MS)).isNull();
        }
        long now = start + 11_000 * MS;
        assertThat(rule.verdict(receiving(start, 11, now), now)).contains("less than 4096 bytes/s");
    }

    @Test
    void aLargeFrameArrivingAtTheMinimumRateOrFasterIsKept() {
        long start = T0;
        long now = start + 100_000 * MS;
        assertThat(rule.verdict(receiving(start, 4_096 * 90, now - 500 * MS), now)).isNull();
        assertThat(rule.verdict(receiving(start, 4 << 20, now - 500 * MS), now)).isNull();
    }

    @Test
    void aFrameOrReplyWithNothingMovingForTheGraceIsClosedWhateverCameBefore() {
        long start = T0;
        long now = start + 30_000 * MS;
        assertThat(rule.verdict(receiving(start, 4 << 20, now - 10_000 * MS), now)).contains("nothing moving");
        assertThat(rule.verdict(replying(start, 3 << 20, now - 10_000 * MS), now)).contains("a reply was read");
        assertThat(rule.verdict(replying(start, 3 << 20, now - 9_000 * MS), now)).isNull();
    }

    @Test
    void aReplyDrainedSlowerThanTheMinimumRateIsClosed() {
        long now = T0 + 20_000 * MS;
        assertThat(rule.verdict(replying(T0, 1_000, now), now)).contains("less than 4096 bytes/s");
        assertThat(rule.verdict(replying(T0, 100_000, now), now)).isNull();
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeoutButABusyOneNever() {
        long now = T0 + 60_000 * MS;
        assertThat(rule.verdict(handshaken(false, T0 + 1), now)).isNull();
        assertThat(rule.verdict(handshaken(false, T0), now)).contains("no request for 60000 ms");
        assertThat(rule.verdict(handshaken(true, T0), now + 3_600_000 * MS)).isNull();
    }
}
