package org.kadshare.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.dht.DhtNode;
import org.kadshare.simulations.sim.Report;
import org.kadshare.simulations.sim.SimNode;

/** The real DHT core in the simulator: small networks, no timing assertions, every figure from the seed. */
class DhtNodeSimulationTest {

    private static final DhtNodeDriver SHORT_TTL = new DhtNodeDriver(
            DhtNodeDriver.withHolderTimes(DhtConfig.defaults(), 10 * 60_000, 2 * 60_000));

    @Test
    void fiveHundredNodesJoinAndEveryLookupFindsTheHolder() {
        DhtHarness<DhtNode> h = new DhtHarness<>(500, 0, DhtNodeDriver.withDefaults());
        h.bootstrap(500, 20, 30_000);
        List<DhtHarness.Record> pool = h.publish(h.pickLive(30));
        h.simulation().runFor(30_000);
        LookupMetrics m = h.lookups(pool, 100, 30_000, 30_000);

        Report r = new Report("t");
        h.appendJoins(r);
        h.appendRoutingHealth(r);
        assertThat(r.deterministicText()).contains("joined: 500 of 500 nodes");
        assertThat(r.deterministicText()).contains("live contacts in find_node answers: 1.0000 (8000 contacts in 1000 answers");
        assertThat(m.started()).isEqualTo(100);
        assertThat(m.succeeded()).as("lookups that found the holder").isEqualTo(100);
        assertThat(h.simulation().liveNodes()).allMatch(n -> n.core().routingTableSize() > 0);
        assertThat(m.firstRecordRound.count()).as("every successful lookup says when the record came").isEqualTo(100);
        assertThat(m.firstRecordRound.percentile(50)).isBetween(1L, m.rounds.percentile(50));
    }

    @Test
    void withThirtyPercentOfNodesCrashedReannouncedRecordsAreStillFound() {
        DhtHarness<DhtNode> h = new DhtHarness<>(77, 0, SHORT_TTL);
        h.bootstrap(200, 20, 30_000);
        List<SimNode<DhtNode>> publishers = h.pickLive(20);
        List<DhtHarness.Record> pool = h.publish(publishers);
        h.simulation().runFor(30_000);

        List<SimNode<DhtNode>> others = new ArrayList<>(h.simulation().liveNodes());
        others.removeAll(publishers);
        int toCrash = h.simulation().liveCount() * 3 / 10;
        List<SimNode<DhtNode>> victims = new ArrayList<>();
        while (victims.size() < toCrash) {
            victims.add(others.remove(h.simulation().scenarioRandom().nextInt(others.size())));
        }
        victims.forEach(h.simulation()::crash);
        double liveShareAtCrash = h.probeTables().liveShare();
        // One questionable interval (15 min) and a minute: the records have moved to the closest
        // nodes still alive, and every contact not heard from since the crash has been pinged.
        h.simulation().runFor(16 * 60_000);
        double liveShareLater = h.probeTables().liveShare();
        LookupMetrics m = h.lookups(pool, 100, 30_000, 30_000);

        assertThat(h.simulation().liveCount()).isEqualTo(200 - toCrash);
        assertThat(m.started() - m.abandoned()).isEqualTo(100);
        assertThat(m.succeeded()).as("lookups that found the holder").isEqualTo(100);
        assertThat(liveShareAtCrash).as("live share of find_node contacts right after the crash").isLessThan(0.8);
        assertThat(liveShareLater).as("the tables heal").isGreaterThan(0.85);
    }

    @Test
    void renewedRecordsAndManifestsOutliveTheirTtlWhileOrphanedOnesExpire() {
        DhtNodeDriver shortTimes = new DhtNodeDriver(DhtNodeDriver.withManifestTimes(
                DhtNodeDriver.withHolderTimes(DhtConfig.defaults(), 4 * 60_000, 60_000), 4 * 60_000, 60_000));
        String report = Scenarios.run(ScenarioConfig.parse(List.of("--scenario", "records", "--nodes", "100",
                "--seed", "8")), shortTimes).deterministicText();
        assertThat(report).contains("fresh manifests success rate: 1.0000");
        assertThat(report).contains("renewed records after 1.5 TTL success rate: 1.0000");
        assertThat(report).contains("republished manifests after 1.5 TTL success rate: 1.0000");
        assertThat(report).containsPattern("expired records still served: 0 of [1-9]");
        assertThat(report).containsPattern("expired manifests still served: 0 of [1-9]");
    }

    @Test
    void aRestartedNodeRejoinsUnderItsOldIdentityAndFindsRecords() {
        DhtHarness<DhtNode> h = new DhtHarness<>(12, 0, DhtNodeDriver.withDefaults());
        h.bootstrap(120, 20, 30_000);
        List<DhtHarness.Record> pool = h.publish(h.pickLive(10));
        h.simulation().runFor(30_000);
        SimNode<DhtNode> node = h.simulation().nodes().get(60);
        DhtNode before = node.core();
        h.simulation().crash(node);
        h.simulation().runFor(60_000);
        h.restart(node);
        assertThat(node.core()).isNotSameAs(before);
        assertThat(node.core().id()).isEqualTo(before.id());
        assertThat(node.core().routingTableSize()).isZero();
        h.simulation().runFor(30_000);

        List<List<java.net.InetSocketAddress>> found = new ArrayList<>();
        h.driver().findHolders(node.core(), pool.get(0).key(), outcome -> found.add(outcome.holders()));
        h.simulation().runFor(30_000);
        assertThat(node.core().routingTableSize()).isPositive();
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).contains(new java.net.InetSocketAddress(
                pool.get(0).publisher().address().getAddress(), DhtHarness.HOLDER_PORT));
    }

    @Test
    void theSameSeedReplaysTheSameDhtRunByteForByte() {
        String[] args = {"--scenario", "churn", "--nodes", "80", "--lookups", "40", "--churn", "5%/min",
                "--loss", "1%", "--duration", "2m", "--seed", "31"};
        String first = Scenarios.run(ScenarioConfig.parse(List.of(args)), DhtNodeDriver.withDefaults())
                .deterministicText();
        String second = Scenarios.run(ScenarioConfig.parse(List.of(args)), DhtNodeDriver.withDefaults())
                .deterministicText();
        assertThat(second).isEqualTo(first);
        assertThat(first).contains("under churn success rate");
    }
}
