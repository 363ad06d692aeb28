package org.kadshare.overlay.transfer.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PeerEstimatorTest {
    private static final long MS = 1_000_000L;

    @Test
    void pipelinedRepliesAreCreditedWithTheLinkRateNotTheQueueingTime() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(50 * MS, 0);
        // four 1 MiB requests sent at once; the link delivers one every 100 ms after a 50 ms RTT
        for (int i = 0; i < 4; i++) {
            e.observeArrival(0, 50 * MS + (i + 1) * 100 * MS, 1 << 20);
        }
        assertThat(e.bytesPerSecond()).isCloseTo(10.0 * (1 << 20), within(0.01 * 10 * (1 << 20)));
    }

    @Test
    void anIdleGapBeforeARequestDoesNotCountAgainstThePeer() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(200 * MS, 0);
        e.observeArrival(0, 300 * MS, 1 << 20);
        assertThat(e.bytesPerSecond()).isCloseTo(10.0 * (1 << 20), within(0.01 * 10 * (1 << 20)));
    }

    @Test
    void roundTripTimeIsSmoothedWithGainOneEighth() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(80 * MS, 0);
        e.observeRtt(160 * MS, 0);
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

    @Test
    void theRoundTripToPlanWithIsTheHandshakesUntilARequestToAnIdlePeerComesBackSooner() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(320 * MS, 0);
        assertThat(e.roundTripNanos()).isEqualTo(320 * MS);
        // two 1 MiB replies 100 ms apart: 10 MiB/s
        e.observeArrival(0, 420 * MS, 1 << 20, 0);
        e.observeArrival(0, 520 * MS, 1 << 20, 1 << 20);
        assertThat(e.roundTripNanos()).isEqualTo(320 * MS);
        // 16 KiB after a 300 ms round trip, nothing ahead of it: the sample is its whole wait
        e.observeArrival(1_000 * MS, 1_302 * MS, 16 << 10, 0);
        assertThat(e.roundTripNanos()).isEqualTo(302 * MS);
    }

    @Test
    void aRequestQueuedBehindOthersIsNoRoundTripSample() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(300 * MS, 0);
        e.observeArrival(0, 400 * MS, 1 << 20, 0);
        // sent at 100 ms behind 3 MiB, back at 500 or 900 ms: its wait is mostly the queue, and
        // it must neither lower the plan nor raise it
        e.observeArrival(100 * MS, 500 * MS, 1 << 20, 3 << 20);
        assertThat(e.roundTripNanos()).isEqualTo(300 * MS);
        e.observeArrival(100 * MS, 900 * MS, 1 << 20, 3 << 20);
        assertThat(e.roundTripNanos()).isEqualTo(300 * MS);
    }

    @Test
    void theLeastRoundTripIsForgottenAfterTenSecondsSoALongerPathIsFollowed() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(100 * MS, 0);
        e.observeArrival(0, 102 * MS, 16 << 10, 0);
        assertThat(e.roundTripNanos()).isEqualTo(100 * MS);
        // the path grew to 250 ms: a clean sample 5 s later does not replace the 100 ms yet
        e.observeArrival(5_000 * MS, 5_252 * MS, 16 << 10, 0);
        assertThat(e.roundTripNanos()).isEqualTo(100 * MS);
        e.observeArrival(10_400 * MS, 10_652 * MS, 16 << 10, 0);
        assertThat(e.roundTripNanos()).isEqualTo(252 * MS);
    }

    @Test
    void aRateMeasuredLowDoesNotPullTheRoundTripBelowWhatTheRequestsTook() {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(100 * MS, 0);
        // a loaded machine: replies to an idle peer take 400 ms, 16 KiB each
        for (int i = 0; i < 20; i++) {
            long sent = i * 1_000 * MS;
            e.observeArrival(sent, sent + 400 * MS, 16 << 10, 0);
        }
        // the handshake's 100 ms expired after 10 s; the plan is what requests took, never less
        assertThat(e.roundTripNanos()).isEqualTo(400 * MS);
        // then the machine recovers: 16 KiB back after 101 ms is credited with a fast link
        e.observeArrival(30_000 * MS, 30_101 * MS, 16 << 10, 0);
        e.observeArrival(31_000 * MS, 31_101 * MS, 16 << 10, 0);
        assertThat(e.roundTripNanos()).isBetween(100 * MS, 101 * MS);
    }
}
