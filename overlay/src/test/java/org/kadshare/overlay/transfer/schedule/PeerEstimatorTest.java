package org.kadshare.overlay.transfer.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PeerEstimatorTest {
    private static final long MS = 1_000_000L;

    @Test
    void pipelinedRepliesAreCreditedWithTheLinkRateNotTheQueueingTime() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(50 * MS);
        // four 1 MiB requests sent at once; the link delivers one every 100 ms after a 50 ms RTT
        for (int i = 0; i < 4; i++) {
            e.observeArrival(0, 50 * MS + (i + 1) * 100 * MS, 1 << 20);
        }
        assertThat(e.bytesPerSecond()).isCloseTo(10.0 * (1 << 20), within(0.01 * 10 * (1 << 20)));
    }

    @Test
    void anIdleGapBeforeARequestDoesNotCountAgainstThePeer() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(200 * MS);
        e.observeArrival(0, 300 * MS, 1 << 20);
        assertThat(e.bytesPerSecond()).isCloseTo(10.0 * (1 << 20), within(0.01 * 10 * (1 << 20)));
    }

    @Test
    void roundTripTimeIsSmoothedWithGainOneEighth() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(80 * MS);
        e.observeRtt(160 * MS);
        assertThat(e.srttNanos()).isEqualTo(90 * MS);
    }

    @Test
    void aStallHalvesTheThroughputEstimate() {
        PeerEstimator e = new PeerEstimator();
        e.observeArrival(0, 100 * MS, 1 << 20);
        double before = e.bytesPerSecond();
        e.penalise();
        assertThat(e.bytesPerSecond()).isEqualTo(before / 2);
    }
}
