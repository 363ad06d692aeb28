package org.kadshare.overlay.transfer.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestSizingTest {
    private static final long MS = 1_000_000L;
    private static final ScheduleConfig CONFIG = ScheduleConfig.defaults();

    private static PeerEstimator peerAt(double mibPerSecond, long rttMillis) {
        PeerEstimator e = new PeerEstimator();
        e.observeRtt(rttMillis * MS, 0);
        long bytes = 16 << 10;
        long serviceNanos = (long) (1e9 * bytes / (mibPerSecond * (1 << 20)));
        e.observeArrival(0, rttMillis * MS + serviceNanos, bytes);
        return e;
    }

    @Test
    void fastPeersGetLargerSpansThanSlowPeersInProportion() {
        int slow = RequestSizing.spanHeight(peerAt(1.25, 10), CONFIG);
        int medium = RequestSizing.spanHeight(peerAt(2.5, 10), CONFIG);
        int fast = RequestSizing.spanHeight(peerAt(5, 10), CONFIG);
        // 100 ms of 1.25, 2.5 and 5 MiB/s: 128, 256 and 512 KiB
        assertThat(slow).isEqualTo(3);
        assertThat(medium).isEqualTo(4);
        assertThat(fast).isEqualTo(5);
    }

    @Test
    void spanSizeStaysBetweenOneLeafAndTheConfiguredMaximum() {
        assertThat(RequestSizing.spanHeight(peerAt(0.01, 10), CONFIG)).isZero();
        assertThat(RequestSizing.spanHeight(peerAt(10_000, 10), CONFIG)).isEqualTo(CONFIG.maxSpanHeight());
    }

    @Test
    void anUnmeasuredPeerGetsTheInitialSizeAndDepth() {
        PeerEstimator e = new PeerEstimator();
        assertThat(RequestSizing.spanHeight(e, CONFIG)).isEqualTo(CONFIG.initialSpanHeight());
        assertThat(RequestSizing.depth(e, CONFIG.initialSpanHeight(), CONFIG)).isEqualTo(CONFIG.initialDepth());
    }

    /** A peer at {@code mibPerSecond} and {@code rttMillis} whose delivery rate stopped growing. */
    private static PeerEstimator fullPeerAt(double mibPerSecond, long rttMillis) {
        PeerEstimator e = peerAt(mibPerSecond, rttMillis);
        long rtt = rttMillis * MS;
        long bytesPerRound = (long) (mibPerSecond * (1 << 20) * rttMillis / 1000);
        long t = 0;
        for (int round = 0; round < 6; round++) {
            e.observeDelivery(bytesPerRound, t + rtt, e.deliveredBytes(), t);
            t += rtt;
        }
        assertThat(e.linkFull()).isTrue();
        return e;
    }

    @Test
    void aFartherPeerAtTheSameThroughputGetsADeeperPipeline() {
        PeerEstimator near = fullPeerAt(5, 5);
        PeerEstimator far = fullPeerAt(5, 400);
        int height = RequestSizing.spanHeight(near, CONFIG);
        assertThat(RequestSizing.spanHeight(far, CONFIG)).isEqualTo(height);
        int nearDepth = RequestSizing.depth(near, height, CONFIG);
        int farDepth = RequestSizing.depth(far, height, CONFIG);
        // a window of two products and a span: near, 0.05 + 0.5 MiB, 2 spans of 512 KiB; far,
        // 5 MiB/s * 400 ms = 2 MiB product, 4.5 MiB, 9 spans
        assertThat(nearDepth).isEqualTo(2);
        assertThat(farDepth).isEqualTo(9);
    }

    @Test
    void whileTheLinkOpensTheWindowIsThreeProductsAndGrowsByTwiceWhatArrived() {
        PeerEstimator far = peerAt(5, 400);
        assertThat(far.linkFull()).isFalse();
        // three products of 2 MiB and a span: 6.5 MiB, 13 spans of 512 KiB
        assertThat(RequestSizing.depth(far, 5, CONFIG)).isEqualTo(13);
        // a slow start: 16 KiB delivered so far, at 40 KiB/s: the first window (4 x 64 KiB) and
        // twice the 16 KiB delivered, 288 KiB, in 18 spans of 16 KiB (at most 16)
        PeerEstimator opening = peerAt(0.04, 300);
        opening.observeDelivery(16 << 10, 400 * MS, 0, 0);
        assertThat(RequestSizing.windowBytes(opening, 16 << 10, CONFIG)).isEqualTo((256 + 32) << 10);
        opening.observeDelivery(1 << 20, 3_400 * MS, 16 << 10, 400 * MS); // 1 MiB in 3 s
        assertThat(RequestSizing.windowBytes(opening, 16 << 10, CONFIG))
                .isEqualTo((256 + 32 + 2048) << 10);
    }

    @Test
    void noMeasuredPeerIsGivenLessThanTheFirstWindow() {
        // 16 KiB/s over 10 ms, link full: the formula gives a fraction of a span
        PeerEstimator slow = fullPeerAt(0.016, 10);
        assertThat(RequestSizing.windowBytes(slow, 16 << 10, CONFIG))
                .isEqualTo(RequestSizing.initialWindowBytes(CONFIG));
    }

    @Test
    void depthIsBoundedByMaxDepthAndBytesInFlight() {
        PeerEstimator huge = peerAt(1000, 2000);
        int height = RequestSizing.spanHeight(huge, CONFIG);
        assertThat(RequestSizing.depth(huge, height, CONFIG)).isEqualTo(CONFIG.maxDepth());
        ScheduleConfig tight = new ScheduleConfig(6, 2, 4, 64, 4L << 20, 100 * MS, 4, 1000 * MS, 5000 * MS, 2);
        assertThat(RequestSizing.depth(huge, 6, tight)).isEqualTo(4);
    }

    @Test
    void aFarPeersSpansGrowSoItsWindowFitsTheDepthLimit() {
        // 2.5 MiB/s: 256 KiB spans by time; at 1 s round trip a window of 5 MiB would need 20 of them
        PeerEstimator far = peerAt(2.5, 1000);
        int height = RequestSizing.spanHeight(far, CONFIG);
        assertThat(height).isEqualTo(4 + 1);
        int depth = RequestSizing.depth(far, height, CONFIG);
        assertThat(depth).isLessThanOrEqualTo(CONFIG.maxDepth());
        assertThat((long) depth * (L << height)).isGreaterThanOrEqualTo((long) (2 * 2.5 * (1 << 20)));
    }

    private static final int L = org.kadshare.storage.MerkleTree.LEAF_SIZE_BYTES;
}
