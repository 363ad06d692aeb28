package org.kadshare.simulations.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChurnTest {

    @Test
    void churnReplacesLeaversSoTheSizeStaysConstant() {
        Simulation<PingPongNode> sim = PingPongNode.simulations().apply(21L);
        for (int i = 0; i < 200; i++) {
            sim.addNode();
        }
        List<SimNode<PingPongNode>> fresh = new ArrayList<>();
        Churn<PingPongNode> churn = Churn.start(sim, SessionLengths.ofLeaveRate(0.05), 0.5,
                new SplittableRandom(1), fresh::add);
        sim.runFor(10 * 60_000);
        assertThat(sim.liveCount()).isEqualTo(200);
        // 5%/min of 200 nodes over 10 minutes: about 100 departures.
        assertThat(churn.departures()).isBetween(70L, 130L);
        assertThat(fresh).hasSize((int) churn.departures());
        assertThat(sim.nodes()).hasSize(200 + fresh.size());
        long crashed = sim.nodes().stream().filter(n -> n.state() == SimNode.State.CRASHED).count();
        long departed = sim.nodes().stream().filter(n -> n.state() == SimNode.State.DEPARTED).count();
        assertThat(crashed + departed).isEqualTo(churn.departures());
        assertThat(crashed).isPositive();
        assertThat(departed).isPositive();
    }

    @Test
    void sessionLengthsHaveTheConfiguredMedian() {
        SplittableRandom random = new SplittableRandom(4);
        for (SessionLengths lengths : List.of(SessionLengths.exponential(60_000),
                SessionLengths.weibull(0.5, 60_000), SessionLengths.weibull(3, 60_000))) {
            Samples s = new Samples();
            for (int i = 0; i < 20_000; i++) {
                s.add(lengths.sampleMillis(random));
            }
            assertThat(s.percentile(50)).as(lengths.toString()).isBetween(57_000L, 63_000L);
        }
    }

    @Test
    void stoppedChurnMakesNoMoreDepartures() {
        Simulation<PingPongNode> sim = PingPongNode.simulations().apply(2L);
        for (int i = 0; i < 50; i++) {
            sim.addNode();
        }
        Churn<PingPongNode> churn = Churn.start(sim, SessionLengths.ofLeaveRate(0.5), 0,
                new SplittableRandom(3), n -> { });
        sim.runFor(60_000);
        long before = churn.departures();
        assertThat(before).isPositive();
        churn.stop();
        sim.runFor(10 * 60_000);
        assertThat(churn.departures()).isEqualTo(before);
    }
}
