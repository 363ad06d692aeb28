package org.kadshare.simulations.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void percentilesFollowTheNearestRankRule() {
        Samples s = new Samples();
        for (long v = 10; v >= 1; v--) {
            s.add(v * 10);
        }
        assertThat(s.percentile(50)).isEqualTo(50);
        assertThat(s.percentile(90)).isEqualTo(90);
        assertThat(s.percentile(99)).isEqualTo(100);
        assertThat(s.percentile(100)).isEqualTo(100);
        assertThat(s.percentile(1)).isEqualTo(10);
        assertThat(s.max()).isEqualTo(100);
        assertThat(s.mean()).isEqualTo(55.0);
    }

    @Test
    void emptySamplesReportZeros() {
        Samples s = new Samples();
        assertThat(s.percentile(99)).isZero();
        assertThat(s.mean()).isZero();
        assertThat(s.count()).isZero();
    }

    @Test
    void addingAfterAPercentileKeepsResultsExact() {
        Samples s = new Samples();
        s.add(5);
        assertThat(s.percentile(50)).isEqualTo(5);
        s.add(1);
        s.add(3);
        assertThat(s.percentile(50)).isEqualTo(3);
    }
}
