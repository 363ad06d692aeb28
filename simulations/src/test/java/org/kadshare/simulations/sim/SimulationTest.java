package org.kadshare.simulations.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private static Simulation<PingPongNode> network(long seed, int nodes) {
        Simulation<PingPongNode> sim = PingPongNode.simulations().apply(seed);
        for (int i = 0; i < nodes; i++) {
            sim.addNode();
        }
        return sim;
    }

    private static String gossipReport(long seed, double loss) {
        Simulation<PingPongNode> sim = network(seed, 40);
        sim.network().setLossRate(loss);
        List<InetSocketAddress> peers = sim.nodes().stream().map(SimNode::address).toList();
        for (SimNode<PingPongNode> n : sim.nodes()) {
            n.core().pingPeriodically(peers, 100 + n.index(), 30);
        }
        sim.runFor(60_000);
        Samples rtt = new Samples();
        StringBuilder order = new StringBuilder();
        for (SimNode<PingPongNode> n : sim.nodes()) {
            for (int i = 0; i < n.core().roundTripsMillis.count(); i++) {
                rtt.add(n.core().roundTripsMillis.percentile(100.0 * (i + 1) / n.core().roundTripsMillis.count()));
            }
            order.append(String.join(",", n.core().received).hashCode()).append(' ');
        }
        return new Report("gossip")
                .line("sent", sim.traffic().sent())
                .line("delivered", sim.traffic().delivered())
                .line("lost", sim.traffic().droppedLoss())
                .percentiles("rtt", rtt, "ms")
                .line("arrival order", order.toString())
                .hostLine("wall", "%d ms", System.nanoTime())
                .deterministicText();
    }

    @Test
    void theSameSeedGivesAByteIdenticalReport() {
        assertThat(gossipReport(1234, 0.05)).isEqualTo(gossipReport(1234, 0.05));
    }

    @Test
    void aDifferentSeedGivesADifferentReport() {
        assertThat(gossipReport(1234, 0.05)).isNotEqualTo(gossipReport(1235, 0.05));
    }

    @Test
    void hostFiguresStayOutOfTheDeterministicText() {
        Report r = new Report("t").line("a", 1).hostLine("wall", "%d ms", 5);
        assertThat(r.deterministicText()).isEqualTo("== t ==\na: 1\n");
        assertThat(r.fullText()).isEqualTo("== t ==\na: 1\n" + Report.HOST_SEPARATOR + "\nwall: 5 ms\n");
    }

    @Test
    void aPingIsAnsweredAfterTwiceTheOneWayLatency() {
        Simulation<PingPongNode> sim = network(7, 2);
        sim.network().setJitterMeanMillis(0);
        SimNode<PingPongNode> a = sim.nodes().get(0);
        SimNode<PingPongNode> b = sim.nodes().get(1);
        a.core().ping(b.address());
        sim.runFor(1_000);
        assertThat(a.core().roundTripsMillis.max()).isEqualTo(2 * sim.network().baseLatencyMillis(0, 1));
    }

    @Test
    void medianOneWayLatencyIsAboutFiftyMilliseconds() {
        Simulation<PingPongNode> sim = network(99, 400);
        Samples oneWay = new Samples();
        for (int i = 0; i < 400; i++) {
            for (int j = i + 1; j < 400; j++) {
                oneWay.add(sim.network().baseLatencyMillis(i, j));
                assertThat(sim.network().baseLatencyMillis(i, j)).isEqualTo(sim.network().baseLatencyMillis(j, i));
            }
        }
        assertThat(oneWay.percentile(50)).isBetween(45L, 55L);
        assertThat(oneWay.max()).isLessThanOrEqualTo(140L);
    }

    @Test
    void jitterReordersBackToBackDatagrams() {
        Simulation<PingPongNode> sim = network(5, 2);
        sim.network().setJitterMeanMillis(20);
        SimNode<PingPongNode> a = sim.nodes().get(0);
        SimNode<PingPongNode> b = sim.nodes().get(1);
        for (int i = 0; i < 50; i++) {
            a.core().ping(b.address());
        }
        sim.runFor(5_000);
        List<String> got = b.core().received;
        assertThat(got).hasSize(50);
        assertThat(got).isNotEqualTo(got.stream().sorted((x, y) ->
                Integer.compare(Integer.parseInt(x.substring(5)), Integer.parseInt(y.substring(5)))).toList());
    }

    @Test
    void lossDropsRoughlyTheConfiguredFraction() {
        Simulation<PingPongNode> sim = network(11, 2);
        sim.network().setLossRate(0.2);
        SimNode<PingPongNode> a = sim.nodes().get(0);
        SimNode<PingPongNode> b = sim.nodes().get(1);
        for (int i = 0; i < 5_000; i++) {
            a.core().ping(b.address());
        }
        sim.runFor(5_000);
        assertThat(b.core().pingsReceived).isBetween(3_800, 4_200);
        assertThat(sim.traffic().droppedLoss()).isEqualTo(sim.traffic().sent() - sim.traffic().delivered());
    }

    @Test
    void anOpenPartitionBlocksCrossTrafficUntilItHeals() {
        Simulation<PingPongNode> sim = network(3, 4);
        Partition split = Partition.halves("split", 4);
        sim.network().open(split);
        SimNode<PingPongNode> n0 = sim.nodes().get(0);
        SimNode<PingPongNode> n1 = sim.nodes().get(1);
        SimNode<PingPongNode> n2 = sim.nodes().get(2);
        n0.core().ping(n1.address());
        n0.core().ping(n2.address());
        sim.runFor(1_000);
        assertThat(n1.core().pingsReceived).isZero();
        assertThat(n2.core().pingsReceived).isEqualTo(1);
        assertThat(sim.traffic().droppedPartition()).isEqualTo(1);

        sim.network().heal(split);
        n0.core().ping(n1.address());
        sim.runFor(1_000);
        assertThat(n1.core().pingsReceived).isEqualTo(1);
        assertThat(n0.core().roundTripsMillis.count()).isEqualTo(2);
    }

    @Test
    void aScheduledPartitionOpensAndHealsAtItsVirtualTimes() {
        Simulation<PingPongNode> sim = network(4, 2);
        SimNode<PingPongNode> a = sim.nodes().get(0);
        SimNode<PingPongNode> b = sim.nodes().get(1);
        sim.partition(Partition.halves("p", 2), 10_000, 20_000);
        for (long t = 0; t < 30_000; t += 1_000) {
            sim.scheduler().scheduleAt(t, () -> a.core().ping(b.address()));
        }
        sim.runFor(40_000);
        // pings sent at t = 10 s .. 19 s are blocked; 20 of 30 get through
        assertThat(b.core().pingsReceived).isEqualTo(20);
        assertThat(sim.traffic().droppedPartition()).isEqualTo(10);
        assertThat(sim.network().blocked(0, 1)).isFalse();
    }

    @Test
    void aCrashedNodeReceivesNothingAndItsTimersNeverFire() {
        Simulation<PingPongNode> sim = network(8, 2);
        SimNode<PingPongNode> a = sim.nodes().get(0);
        SimNode<PingPongNode> b = sim.nodes().get(1);
        b.core().pingPeriodically(List.of(a.address()), 100, 10);
        a.core().ping(b.address());
        PingPongNode oldCore = b.core();
        int pendingBefore = sim.scheduler().pendingEvents();
        sim.crash(b);
        assertThat(sim.scheduler().pendingEvents()).as("b's timer is cancelled").isEqualTo(pendingBefore - 1);
        assertThat(b.core()).isNull();
        sim.runFor(5_000);
        assertThat(oldCore.pingsReceived).isZero();
        assertThat(oldCore.timersFired).isZero();
        assertThat(a.core().pingsReceived).isZero();
        assertThat(sim.traffic().droppedDeadTarget()).isEqualTo(1);
        assertThat(sim.liveCount()).isEqualTo(1);
    }

    @Test
    void aRestartedNodeIsAFreshCoreAtTheSameAddress() {
        Simulation<PingPongNode> sim = network(8, 2);
        SimNode<PingPongNode> a = sim.nodes().get(0);
        SimNode<PingPongNode> b = sim.nodes().get(1);
        PingPongNode oldCore = b.core();
        sim.crash(b);
        PingPongNode newCore = sim.restart(b);
        assertThat(newCore).isNotSameAs(oldCore);
        assertThat(b.incarnation()).isEqualTo(1);
        a.core().ping(b.address());
        sim.runFor(1_000);
        assertThat(newCore.pingsReceived).isEqualTo(1);
        assertThat(oldCore.pingsReceived).isZero();
        assertThat(a.core().roundTripsMillis.count()).isEqualTo(1);
    }

    @Test
    void aDepartedNodeCannotBeRestarted() {
        Simulation<PingPongNode> sim = network(8, 2);
        int[] hookCalls = {0};
        sim.setLeaveHook(core -> hookCalls[0]++);
        SimNode<PingPongNode> b = sim.nodes().get(1);
        sim.leave(b);
        assertThat(hookCalls[0]).isEqualTo(1);
        assertThat(b.state()).isEqualTo(SimNode.State.DEPARTED);
        assertThatThrownBy(() -> sim.restart(b)).hasMessageContaining("only a crashed node restarts");
        assertThatThrownBy(() -> sim.crash(b)).hasMessageContaining("not live");
    }

    @Test
    void anExternalEndpointTalksToNodesButNeverTakesANodeAddress() {
        Simulation<PingPongNode> sim = network(8, 2);
        List<String> heard = new java.util.ArrayList<>();
        InetSocketAddress outside = new InetSocketAddress("192.0.2.7", 9);
        ExternalEndpoint probe = sim.attachEndpoint(outside,
                (from, datagram) -> heard.add(from + " " + new String(datagram, java.nio.charset.StandardCharsets.US_ASCII)));
        probe.send(sim.nodes().get(1).address(), "ping 5".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        sim.runFor(1_000);
        assertThat(heard).containsExactly(sim.nodes().get(1).address() + " pong 5");
        assertThat(sim.traffic().sent()).isEqualTo(sim.traffic().delivered()).isEqualTo(2);
        assertThatThrownBy(() -> sim.attachEndpoint(sim.nodes().get(0).address(), (f, d) -> { }))
                .hasMessageContaining("is a node's");
    }

    @Test
    void datagramsToUnknownAddressesAreDroppedAndCounted() {
        Simulation<PingPongNode> sim = network(8, 1);
        sim.nodes().get(0).core().ping(new InetSocketAddress("10.9.9.9", SimAddresses.PORT));
        sim.runFor(1_000);
        assertThat(sim.traffic().droppedUnknownAddress()).isEqualTo(1);
    }
}
