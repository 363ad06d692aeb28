package org.kadshare.simulations.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.simulations.sim.Churn;
import org.kadshare.simulations.sim.Partition;
import org.kadshare.simulations.sim.Report;
import org.kadshare.simulations.sim.SimNode;
import org.kadshare.simulations.sim.Simulation;

/**
 * The named scenarios of {@code Simulate}: each builds a network from a {@link ScenarioConfig},
 * drives it through a {@link DhtDriver} and returns its {@link Report} (deterministic part only;
 * the runner adds host figures).
 *
 * <ul>
 *   <li>{@code bootstrap}: N nodes join one after another; join times and routing-table health.
 *   <li>{@code quiet}: after bootstrap, holders announce keys; lookups in a still network.
 *   <li>{@code churn}: the same while nodes leave and are replaced at the {@code --churn} rate
 *       (publishers stay); a final sweep counts records lost.
 *   <li>{@code partition}: lookups before, during a 50/50 partition of {@code --partition}, and
 *       after it heals.
 *   <li>{@code records}: half the publishers crash after announcing holder records (and, when the
 *       core stores them, publishing signed manifests), so those are no longer renewed; after 1.5
 *       of the longer TTL, renewed ones must still be found and expired ones gone.
 *   <li>{@code eclipse}: {@code --nodes} honest nodes and a quarter as many colluding attackers
 *       (20% of all nodes, {@link Adversaries}) that answer with each other and store nothing;
 *       half of them sit next to some of the published keys, eight per key on one /24, before
 *       those keys are announced. Lookups of the attacked keys and of the others are measured apart.
 * </ul>
 */
public final class Scenarios {
    /** Gap between two joining nodes during bootstrap. */
    public static final long JOIN_INTERVAL_MILLIS = 20;
    /** Quiet time after the last join before measuring. */
    public static final long SETTLE_MILLIS = 60_000;
    /** Time allowed for announces to reach the key's closest nodes. */
    public static final long PUBLISH_MILLIS = 30_000;
    /** Time a lookup batch waits for its last lookups after the spread ends. */
    public static final long GRACE_MILLIS = 60_000;

    private Scenarios() {
    }

    /** Runs the scenario {@code config} names. */
    public static <N extends DatagramReceiver> Report run(ScenarioConfig config, DhtDriver<N> driver) {
        return run(config, driver, sim -> { });
    }

    /**
     * Runs the scenario {@code config} names; {@code atEnd} sees the finished simulation while it is
     * still reachable (the runner measures the heap there).
     */
    public static <N extends DatagramReceiver> Report run(ScenarioConfig config, DhtDriver<N> driver,
                                                         Consumer<Simulation<N>> atEnd) {
        DhtHarness<N> h = new DhtHarness<>(config.seed(), config.lossRate(), driver);
        Report report = new Report("scenario " + config.scenario());
        report.line("parameters", "nodes=%d lookups=%d churn=%s loss=%.4f partition=%s duration=%s seed=%d",
                config.nodes(), config.lookups(),
                config.churn() == null ? "none" : config.churnLabel() + " " + config.churn(), config.lossRate(),
                Durations.format(config.partitionMillis()), Durations.format(config.durationMillis()),
                config.seed());
        h.bootstrap(config.nodes(), JOIN_INTERVAL_MILLIS, SETTLE_MILLIS);
        h.appendJoins(report);
        switch (config.scenario()) {
            case "bootstrap" -> { }
            case "quiet" -> quiet(config, h, report);
            case "churn" -> churn(config, h, report);
            case "partition" -> partition(config, h, report);
            case "records" -> records(config, h, report);
            case "eclipse" -> eclipse(config, h, report);
            default -> throw new IllegalArgumentException("unknown scenario " + config.scenario());
        }
        h.appendTraffic(report);
        h.appendRoutingHealth(report);
        atEnd.accept(h.simulation());
        return report;
    }

    private static int publisherCount(ScenarioConfig c) {
        return Math.max(1, Math.min(100, c.nodes() / 5));
    }

    private static <N extends DatagramReceiver> void quiet(ScenarioConfig c, DhtHarness<N> h, Report report) {
        List<DhtHarness.Record> pool = h.publish(h.pickLive(publisherCount(c)));
        h.simulation().runFor(PUBLISH_MILLIS);
        h.lookups(pool, c.lookups(), c.durationMillis(), GRACE_MILLIS).appendTo(report, "quiet");
    }

    private static <N extends DatagramReceiver> void churn(ScenarioConfig c, DhtHarness<N> h, Report report) {
        List<SimNode<N>> publishers = h.pickLive(publisherCount(c));
        List<DhtHarness.Record> pool = h.publish(publishers);
        h.simulation().runFor(PUBLISH_MILLIS);
        Churn<N> churn = null;
        if (c.churn() != null) {
            List<SimNode<N>> churned = new ArrayList<>(h.simulation().liveNodes());
            churned.removeAll(publishers);
            churn = Churn.start(h.simulation(), churned, c.churn(), c.gracefulFraction(),
                    h.simulation().scenarioRandom(), h::join);
        }
        h.lookups(pool, c.lookups(), c.durationMillis(), GRACE_MILLIS).appendTo(report, "under churn");
        if (churn != null) {
            churn.stop();
            report.line("churn departures", churn.departures());
        }
        LookupMetrics sweep = h.sweep(pool, GRACE_MILLIS);
        report.line("records lost", "%d of %d", pool.size() - sweep.succeeded(), pool.size());
    }

    private static <N extends DatagramReceiver> void partition(ScenarioConfig c, DhtHarness<N> h, Report report) {
        List<DhtHarness.Record> pool = h.publish(h.pickLive(publisherCount(c)));
        h.simulation().runFor(PUBLISH_MILLIS);
        int each = Math.max(1, c.lookups() / 3);
        h.lookups(pool, each, 60_000, GRACE_MILLIS).appendTo(report, "before partition");
        Partition split = Partition.halves("50/50", h.simulation().nodes().size());
        h.simulation().network().open(split);
        long spread = Math.max(1, c.partitionMillis() - GRACE_MILLIS);
        h.lookups(pool, each, spread, Math.min(GRACE_MILLIS, c.partitionMillis())).appendTo(report, "during partition");
        h.simulation().network().heal(split);
        h.lookups(pool, each, c.durationMillis(), GRACE_MILLIS).appendTo(report, "after heal");
    }

    private static <N extends DatagramReceiver> void eclipse(ScenarioConfig c, DhtHarness<N> h, Report report) {
        int attackers = c.nodes() / 4;
        List<SimNode<N>> publishers = h.pickLive(publisherCount(c));
        List<NodeId> keys = h.randomKeys(publishers.size());
        int perKey = 8;
        int attackedKeys = Math.max(1, Math.min(publishers.size() / 2, attackers / 2 / perKey));
        Adversaries adversaries = new Adversaries(h.simulation());
        for (int i = 0; i < attackedKeys; i++) {
            adversaries.addNextTo(keys.get(i), perKey);
        }
        adversaries.addScattered(Math.max(0, attackers - adversaries.size()), h.simulation().scenarioRandom());
        adversaries.introduce(h.simulation().liveNodes(), 16, 8, h.simulation().scenarioRandom());
        h.simulation().runFor(SETTLE_MILLIS);
        List<DhtHarness.Record> pool = h.publish(publishers, keys);
        h.simulation().runFor(PUBLISH_MILLIS);
        int attackedLookups = c.lookups() / 2;
        h.lookups(pool.subList(0, attackedKeys), attackedLookups, c.durationMillis() / 2, GRACE_MILLIS)
                .appendTo(report, "attacked keys");
        h.lookups(pool.subList(attackedKeys, pool.size()), c.lookups() - attackedLookups, c.durationMillis() / 2,
                GRACE_MILLIS).appendTo(report, "other keys");
        report.line("adversaries", "%d of %d nodes: %d next to %d attacked keys (%d per key, one /24 each),"
                        + " %d scattered (a /16 each); %d queries answered", adversaries.size(),
                adversaries.size() + c.nodes(), attackedKeys * perKey, attackedKeys, perKey,
                adversaries.size() - attackedKeys * perKey, adversaries.answered());
    }

    private static <N extends DatagramReceiver> void records(ScenarioConfig c, DhtHarness<N> h, Report report) {
        int n = publisherCount(c);
        List<SimNode<N>> staying = h.pickLive(n);
        List<SimNode<N>> leaving = new ArrayList<>(h.pickLive(n));
        leaving.removeAll(staying);
        boolean manifests = h.driver().storesManifests();
        List<DhtHarness.Record> renewed = h.publish(staying);
        List<DhtHarness.Record> abandoned = h.publish(leaving);
        List<DhtHarness.ManifestRecord> republished = manifests ? h.publishManifests(staying) : List.of();
        List<DhtHarness.ManifestRecord> orphaned = manifests ? h.publishManifests(leaving) : List.of();
        h.simulation().runFor(PUBLISH_MILLIS);
        h.sweep(renewed, GRACE_MILLIS).appendTo(report, "fresh records");
        if (manifests) {
            h.manifestSweep(republished, GRACE_MILLIS).appendTo(report, "fresh manifests");
        }
        for (SimNode<N> p : leaving) {
            h.simulation().crash(p);
        }
        long ttl = Math.max(h.driver().holderTtlMillis(), manifests ? h.driver().manifestTtlMillis() : 0);
        h.simulation().runFor(ttl + ttl / 2);
        h.sweep(renewed, GRACE_MILLIS).appendTo(report, "renewed records after 1.5 TTL");
        LookupMetrics expired = h.sweep(abandoned, GRACE_MILLIS);
        report.line("expired records still served", "%d of %d", expired.succeeded(), abandoned.size());
        if (manifests) {
            h.manifestSweep(republished, GRACE_MILLIS).appendTo(report, "republished manifests after 1.5 TTL");
            LookupMetrics gone = h.manifestSweep(orphaned, GRACE_MILLIS);
            report.line("expired manifests still served", "%d of %d", gone.succeeded(), orphaned.size());
        }
    }
}
