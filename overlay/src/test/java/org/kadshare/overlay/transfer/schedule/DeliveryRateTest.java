package org.kadshare.overlay.transfer.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryRateTest {
    private static final long MS = 1_000_000L;
    private static final long MIB = 1 << 20;

    @Test
    void repliesReadInABurstCountAtWhatTheLinkDeliveredNotAtTheBurstsRate() {
        // four 1 MiB requests sent at once to an idle peer over a 10 MiB/s link with a 50 ms round
        // trip; a busy getter reads the four replies only at 450 ms, one a millisecond
        DeliveryRate d = new DeliveryRate();
        PeerEstimator ewma = new PeerEstimator();
        ewma.observeRtt(50 * MS, 0);
        for (int i = 0; i < 4; i++) {
            long at = (450 + i) * MS;
            d.onArrival(MIB, at, 0, 0, 50 * MS);
            ewma.observeArrival(0, at, MIB, i * MIB);
        }
        assertThat(d.bytesPerSecond()).isLessThanOrEqualTo(10.0 * MIB);
        assertThat(d.bytesPerSecond()).isGreaterThan(8.0 * MIB);
        // the mean of per-reply rates takes the burst for the link
        assertThat(ewma.bytesPerSecond()).isGreaterThan(100.0 * MIB);
    }

    @Test
    void theHighestSampleOfTheWindowCountsUntilItIsOlderThanTheWindow() {
        DeliveryRate d = new DeliveryRate();
        d.onArrival(MIB, 100 * MS, 0, 0, 10 * MS); // 10 MiB/s
        d.onArrival(MIB, 400 * MS, MIB, 100 * MS, 10 * MS); // 3.3 MiB/s
        assertThat(d.bytesPerSecond()).isEqualTo(10.0 * MIB);
        d.onArrival(MIB, 700 * MS, 2 * MIB, 400 * MS, 10 * MS); // 3.3 MiB/s, 600 ms after the high one
        assertThat(d.bytesPerSecond()).isBetween(3.3 * MIB, 3.4 * MIB);
    }

    @Test
    void aLinkIsFullOnceItsRateStopsGrowingForThreeRoundTrips() {
        DeliveryRate d = new DeliveryRate();
        long rtt = 100 * MS;
        long delivered = 0;
        long t = 0;
        // doubling every round trip: still opening
        for (int round = 0; round < 6; round++) {
            long bytes = (64L << 10) << round;
            d.onArrival(bytes, t + rtt, delivered, t, rtt);
            delivered += bytes;
            t += rtt;
            assertThat(d.linkFull()).as("round %d", round).isFalse();
        }
        // then flat
        long bytes = (64L << 10) << 5;
        for (int round = 0; round < 3; round++) {
            d.onArrival(bytes, t + rtt, delivered, t, rtt);
            delivered += bytes;
            t += rtt;
        }
        assertThat(d.linkFull()).isTrue();
    }

    @Test
    void aStallHalvesTheRate() {
        DeliveryRate d = new DeliveryRate();
        d.onArrival(MIB, 100 * MS, 0, 0, 10 * MS);
        d.penalise();
        assertThat(d.bytesPerSecond()).isEqualTo(5.0 * MIB);
    }

    @Test
    void samplesKeptStayBoundedHoweverManyRepliesCome() {
        DeliveryRate d = new DeliveryRate();
        // falling rates are all kept by a max filter; the bound holds anyway
        for (int i = 0; i < 10_000; i++) {
            d.onArrival(16 << 10, (i + 1) * MS / 100, 0, 0, 10 * MS);
        }
        assertThat(d.samplesKept()).isLessThanOrEqualTo(DeliveryRate.MAX_SAMPLES);
    }
}
