package org.kadshare.simulations.scenario;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.simulations.sim.Report;
import org.kadshare.simulations.sim.Samples;
import org.kadshare.simulations.sim.SimNode;
import org.kadshare.simulations.sim.Simulation;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.NodeIdentity;

/**
 * The building blocks of the scenarios on top of a {@link Simulation}: bootstrap a network,
 * publish holder records, run batches of measured lookups, and inspect routing tables.
 *
 * <p>Design note: every step is a set of events on the simulation's clock; nothing waits on a
 * thread. Which node asks and which key it asks for come from the scenario's own generator, and
 * candidate lists are built in slot order, so the run is a function of the seed.
 *
 * @param <N> the core type
 */
public final class DhtHarness<N extends DatagramReceiver> {
    /** Port the simulated holders announce. */
    public static final int HOLDER_PORT = 7000;

    private final Simulation<N> simulation;
    private final DhtDriver<N> driver;
    private final RandomGenerator random;
    private final BitSet joined = new BitSet();
    private final Samples joinMillis = new Samples();
    private final List<Record> records = new ArrayList<>();
    private KrpcTableProbe probe;

    /** A published holder record: the key and the node that announced it. */
    public record Record(NodeId key, SimNode<?> publisher) {
    }

    /** A network with {@code seed} and {@code lossRate}, driven through {@code driver}. */
    public DhtHarness(long seed, double lossRate, DhtDriver<N> driver) {
        this.driver = Objects.requireNonNull(driver, "driver");
        this.simulation = new Simulation<>(seed, driver.factory());
        this.simulation.network().setLossRate(lossRate);
        this.simulation.setLeaveHook(driver::leave);
        this.random = simulation.scenarioRandom();
    }

    /** The underlying simulation. */
    public Simulation<N> simulation() {
        return simulation;
    }

    /** The driver. */
    public DhtDriver<N> driver() {
        return driver;
    }

    /**
     * Adds {@code count} nodes, one every {@code intervalMillis}; each joins through two random
     * nodes that have already joined (the first node stands alone). Runs until the last node was
     * added plus {@code settleMillis}.
     */
    public void bootstrap(int count, long intervalMillis, long settleMillis) {
        SimNode<N> first = simulation.addNode();
        joined.set(first.index());
        for (int i = 1; i < count; i++) {
            simulation.scheduler().schedule(i * intervalMillis, () -> join(simulation.addNode()));
        }
        simulation.runFor((count - 1) * intervalMillis + settleMillis);
    }

    /** Makes a new node join through two random joined, live nodes. */
    public void join(SimNode<N> node) {
        List<InetSocketAddress> seeds = new ArrayList<>(2);
        List<SimNode<N>> candidates = joinedLive(n -> n != node);
        for (int i = 0; i < 2 && !candidates.isEmpty(); i++) {
            seeds.add(candidates.remove(random.nextInt(candidates.size())).address());
        }
        long start = simulation.nowMillis();
        N core = node.core();
        driver.join(core, seeds, loud(() -> {
            if (node.core() == core && node.isLive()) {
                joined.set(node.index());
                joinMillis.add(simulation.nowMillis() - start);
            }
        }));
    }

    /** Restarts a crashed node (same ID and address, empty state) and makes it join again. */
    public void restart(SimNode<N> node) {
        joined.clear(node.index());
        simulation.restart(node);
        join(node);
    }

    /** Picks {@code count} distinct live joined nodes at random (fewer if there are not enough). */
    public List<SimNode<N>> pickLive(int count) {
        List<SimNode<N>> candidates = joinedLive(n -> true);
        List<SimNode<N>> picked = new ArrayList<>(count);
        while (picked.size() < count && !candidates.isEmpty()) {
            picked.add(candidates.remove(random.nextInt(candidates.size())));
        }
        return picked;
    }

    /** Each of {@code publishers} announces one fresh random key; returns the new records. */
    public List<Record> publish(List<SimNode<N>> publishers) {
        return publish(publishers, randomKeys(publishers.size()));
    }

    /** {@code count} fresh random keys from the scenario's generator. */
    public List<NodeId> randomKeys(int count) {
        List<NodeId> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            keys.add(NodeId.random(random));
        }
        return keys;
    }

    /** Publisher {@code i} announces {@code keys.get(i)}; returns the new records. */
    public List<Record> publish(List<SimNode<N>> publishers, List<NodeId> keys) {
        List<Record> fresh = new ArrayList<>();
        for (int i = 0; i < publishers.size(); i++) {
            SimNode<N> p = publishers.get(i);
            Record r = new Record(keys.get(i), p);
            driver.announce(p.core(), r.key(), HOLDER_PORT);
            fresh.add(r);
        }
        records.addAll(fresh);
        return fresh;
    }

    /** A published manifest: its DHT key, its encoded form and the node that publishes it. */
    public record ManifestRecord(NodeId key, byte[] encoded, SimNode<?> publisher) {
        /** Keeps its own copy of the encoded manifest. */
        public ManifestRecord {
            encoded = encoded.clone();
        }

        /** A copy of the encoded manifest. */
        @Override
        public byte[] encoded() {
            return encoded.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ManifestRecord r && key.equals(r.key) && Arrays.equals(encoded, r.encoded)
                    && publisher == r.publisher;
        }

        @Override
        public int hashCode() {
            return 31 * key.hashCode() + Arrays.hashCode(encoded);
        }

        @Override
        public String toString() {
            return "ManifestRecord[key=" + key + ", " + encoded.length + " bytes, publisher=" + publisher + "]";
        }
    }

    /**
     * Each of {@code publishers} signs (with a key drawn from the scenario's generator; Ed25519
     * signatures are deterministic) and publishes a manifest for fresh random content.
     */
    public List<ManifestRecord> publishManifests(List<SimNode<N>> publishers) {
        List<ManifestRecord> fresh = new ArrayList<>();
        for (SimNode<N> p : publishers) {
            byte[] seed = new byte[NodeIdentity.SEED_LENGTH_BYTES];
            random.nextBytes(seed);
            byte[] content = new byte[ContentId.LENGTH_BYTES];
            random.nextBytes(content);
            ContentId id = ContentId.of(content);
            long createdEpochSeconds = simulation.nowMillis() / 1000;
            Manifest m = Manifest.sign(id, 1 + random.nextInt(1 << 30), "file-" + p.index() + ".bin",
                    "application/octet-stream", createdEpochSeconds, NodeIdentity.fromSeed(seed));
            byte[] encoded = ManifestCodec.encode(m);
            driver.putManifest(p.core(), encoded);
            fresh.add(new ManifestRecord(NodeId.of(id.dhtKey()), encoded, p));
        }
        return fresh;
    }

    /**
     * One manifest lookup per record of {@code pool} from a random live node other than its
     * publisher, all started now; runs for {@code graceMillis}. Success: the exact manifest came back.
     */
    public LookupMetrics manifestSweep(List<ManifestRecord> pool, long graceMillis) {
        LookupMetrics m = new LookupMetrics();
        for (ManifestRecord r : pool) {
            List<SimNode<N>> askers = joinedLive(n -> n != r.publisher());
            if (askers.isEmpty()) {
                continue;
            }
            SimNode<N> asker = askers.get(random.nextInt(askers.size()));
            long start = simulation.nowMillis();
            long sentBefore = asker.environment().datagramsSent();
            m.started++;
            boolean[] done = {false};
            N core = asker.core();
            driver.findManifests(core, r.key(), found -> loud(() -> {
                done[0] = true;
                m.latencyMillis.add(simulation.nowMillis() - start);
                m.queries.add(asker.environment().datagramsSent() - sentBefore);
                if (found.stream().anyMatch(f -> Arrays.equals(f, r.encoded()))) {
                    m.succeeded++;
                } else {
                    m.failed++;
                }
            }).run());
            trackAbandon(m, asker, core, done);
        }
        simulation.runFor(graceMillis);
        return m;
    }

    /** Every record published so far. */
    public List<Record> records() {
        return List.copyOf(records);
    }

    /**
     * Starts {@code count} lookups spread evenly over {@code spreadMillis}, each from a random live
     * joined node (other than the publisher) for a random record of {@code pool}; a lookup succeeds
     * when the publisher's address is among the holders found. Runs for the spread plus
     * {@code graceMillis}, then closes the batch.
     */
    public LookupMetrics lookups(List<Record> pool, int count, long spreadMillis, long graceMillis) {
        LookupMetrics m = new LookupMetrics();
        if (pool.isEmpty() || count == 0) {
            simulation.runFor(spreadMillis + graceMillis);
            return m;
        }
        long step = Math.max(1, spreadMillis / count);
        for (int i = 0; i < count; i++) {
            simulation.scheduler().schedule(i * step, () -> {
                Record r = pool.get(random.nextInt(pool.size()));
                lookupOnce(m, r);
            });
        }
        simulation.runFor(spreadMillis + graceMillis);
        return m;
    }

    /** One lookup for each record of {@code pool}, all started now; runs for {@code graceMillis}. */
    public LookupMetrics sweep(List<Record> pool, long graceMillis) {
        LookupMetrics m = new LookupMetrics();
        for (Record r : pool) {
            lookupOnce(m, r);
        }
        simulation.runFor(graceMillis);
        return m;
    }

    private void lookupOnce(LookupMetrics m, Record r) {
        List<SimNode<N>> askers = joinedLive(n -> n != r.publisher());
        if (askers.isEmpty()) {
            return;
        }
        SimNode<N> asker = askers.get(random.nextInt(askers.size()));
        N core = asker.core();
        long start = simulation.nowMillis();
        InetSocketAddress wanted = new InetSocketAddress(r.publisher().address().getAddress(), HOLDER_PORT);
        m.started++;
        boolean across = simulation.network().blocked(asker.index(), r.publisher().index());
        if (across) {
            m.across++;
        }
        boolean[] done = {false};
        long sentBefore = asker.environment().datagramsSent();
        driver.findHolders(core, r.key(), outcome -> loud(() -> {
            if (done[0]) {
                return;
            }
            done[0] = true;
            m.latencyMillis.add(simulation.nowMillis() - start);
            if (outcome.rounds() != LookupOutcome.UNKNOWN) {
                m.rounds.add(outcome.rounds());
            }
            m.queries.add(outcome.queries() != LookupOutcome.UNKNOWN ? outcome.queries()
                    : asker.environment().datagramsSent() - sentBefore);
            if (outcome.firstRecordRound() != LookupOutcome.UNKNOWN) {
                m.firstRecordRound.add(outcome.firstRecordRound());
                m.firstRecordMillis.add(outcome.firstRecordMillis());
            }
            if (outcome.holders().contains(wanted)) {
                m.succeeded++;
                if (across) {
                    m.acrossSucceeded++;
                }
            } else {
                m.failed++;
            }
        }).run());
        trackAbandon(m, asker, core, done);
    }

    /**
     * Runs {@code work} as an event of its own, so that what it throws stops the run with the
     * seed, even when it is called from inside a core's future callback (which would swallow it).
     */
    private Runnable loud(Runnable work) {
        return () -> simulation.scheduler().schedule(0, work);
    }

    private void trackAbandon(LookupMetrics m, SimNode<N> asker, N core, boolean[] done) {
        simulation.scheduler().schedule(1_000, () -> {
            if (done[0]) {
                return;
            }
            if (asker.core() != core || !asker.isLive()) {
                done[0] = true;
                m.abandoned++;
            } else {
                trackAbandon(m, asker, core, done);
            }
        });
    }

    /**
     * Adds routing-table health lines: table sizes and the share of contacts that are live nodes,
     * read from the tables when the core shows them, else (for KRPC cores) probed from outside with
     * find_node queries, which sends datagrams and runs the simulation for a moment: call it last.
     */
    public void appendRoutingHealth(Report report) {
        long contacts = 0;
        long shown = 0;
        long liveContacts = 0;
        int tables = 0;
        int empty = 0;
        boolean allShown = true;
        Samples sizes = new Samples();
        for (SimNode<N> n : simulation.liveNodes()) {
            int size = driver.routingTableSize(n.core());
            tables++;
            contacts += size;
            sizes.add(size);
            if (size == 0) {
                empty++;
            }
            Optional<List<InetSocketAddress>> table = driver.contacts(n.core());
            if (table.isEmpty()) {
                allShown = false;
                continue;
            }
            for (InetSocketAddress a : table.get()) {
                shown++;
                SimNode<N> target = simulation.nodeAt(a);
                if (target != null && target.isLive()) {
                    liveContacts++;
                }
            }
        }
        report.line("live nodes", simulation.liveCount());
        report.line("routing table size", "mean=%.2f p50=%d p90=%d empty=%d",
                tables == 0 ? 0.0 : (double) contacts / tables, sizes.percentile(50), sizes.percentile(90), empty);
        if (allShown) {
            report.line("live contacts in tables", "%.4f", shown == 0 ? 0.0 : (double) liveContacts / shown);
        } else if (driver.speaksKrpc()) {
            KrpcTableProbe.Health health = probeTables();
            report.line("live contacts in find_node answers", "%.4f (%d contacts in %d answers to %d probes)",
                    health.liveShare(), health.contacts(), health.answers(), health.queries());
        } else {
            report.line("live contacts in tables", "not shown by the core");
        }
    }

    /** Probes every live node's table with find_node queries (see {@link KrpcTableProbe}). */
    KrpcTableProbe.Health probeTables() {
        if (probe == null) {
            probe = new KrpcTableProbe(simulation);
        }
        return probe.measure(random);
    }

    /** Adds the join figures: how many nodes finished joining and how long it took. */
    public void appendJoins(Report report) {
        report.line("joined", "%d of %d nodes", joined.cardinality(), simulation.nodes().size());
        report.percentiles("join time", joinMillis, "ms");
    }

    /** Adds the traffic figures of the whole run. */
    public void appendTraffic(Report report) {
        var t = simulation.traffic();
        report.line("datagrams", "sent=%d delivered=%d lost=%d partitioned=%d to-dead=%d unknown=%d",
                t.sent(), t.delivered(), t.droppedLoss(), t.droppedPartition(), t.droppedDeadTarget(),
                t.droppedUnknownAddress());
        double nodeMinutes = Math.max(1e-9, simulation.nodes().size() * simulation.nowMillis() / 60_000.0);
        report.line("datagrams per node-minute", "%.2f", t.sent() / nodeMinutes);
        report.line("bytes sent", t.sentBytes());
        report.line("virtual time", Durations.format(simulation.nowMillis()));
        report.line("events", simulation.scheduler().executedEvents());
    }

    private List<SimNode<N>> joinedLive(Predicate<SimNode<N>> filter) {
        List<SimNode<N>> out = new ArrayList<>();
        for (int i = joined.nextSetBit(0); i >= 0; i = joined.nextSetBit(i + 1)) {
            SimNode<N> n = simulation.nodes().get(i);
            if (n.isLive() && filter.test(n)) {
                out.add(n);
            }
        }
        return out;
    }
}
