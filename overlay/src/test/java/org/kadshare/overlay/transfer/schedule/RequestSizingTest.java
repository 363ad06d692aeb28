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

    @Test
    void aFartherPeerAtTheSameThroughputGetsADeeperPipeline() {
        PeerEstimator near = peerAt(5, 5);
        PeerEstimator far = peerAt(5, 400);
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
