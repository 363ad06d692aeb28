package org.kadshare.simulations.sim;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.NodeId;

/**
 * A simulated network of sans-IO cores in one JVM, on one thread, in virtual time, reproducible
 * from its seed.
 *
 * <p>Design note: every source of nondeterminism is owned here. The seed feeds one
 * {@link SplittableRandom}; the network model, the node IDs, the scenario and each life of each node
 * get generators split from it in a fixed order, so a node's draws never shift another's. Time
 * is the {@link Scheduler}'s; a datagram is an event on it. Node state is the node's own core plus
 * a few fields in {@link SimNode}: no thread, queue or socket per node, so 10,000 nodes cost
 * about 10,000 cores' worth of memory.
 *
 * @param <N> the type of core the simulation drives
 */
public final class Simulation<N extends DatagramReceiver> {
    private final long seed;
    private final NodeFactory<N> factory;
    private final SplittableRandom master;
    private final RandomGenerator ids;
    private final RandomGenerator scenarioRandom;
    private final Scheduler scheduler;
    private final NetworkModel network;
    private final TrafficCounters traffic = new TrafficCounters();
    private final List<SimNode<N>> nodes = new ArrayList<>();
    private final Map<InetSocketAddress, ExternalEndpoint> endpoints = new HashMap<>();
    private Consumer<N> leaveHook = core -> { };
    private int liveCount;

    /** An empty network whose randomness all comes from {@code seed}. */
    public Simulation(long seed, NodeFactory<N> factory) {
        this.seed = seed;
        this.factory = Objects.requireNonNull(factory, "factory");
        this.master = new SplittableRandom(seed);
        this.network = new NetworkModel(master.split());
        this.ids = master.split();
        this.scenarioRandom = master.split();
        this.scheduler = new Scheduler("seed=" + seed);
    }

    /** The seed the run was started from. */
    public long seed() {
        return seed;
    }

    /** The virtual clock and event queue. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /** Latency, jitter, loss and partitions. */
    public NetworkModel network() {
        return network;
    }

    /** Datagram counts so far. */
    public TrafficCounters traffic() {
        return traffic;
    }

    /** A generator for the scenario's own choices (which keys, which nodes), split from the seed. */
    public RandomGenerator scenarioRandom() {
        return scenarioRandom;
    }

    /** Sets what a graceful leave asks of a core before it goes (by default, nothing). */
    public void setLeaveHook(Consumer<N> hook) {
        this.leaveHook = Objects.requireNonNull(hook, "hook");
    }

    /** Adds and starts a node with a random ID. */
    public SimNode<N> addNode() {
        return addNode(NodeId.random(ids));
    }

    /** Adds and starts a node with the given ID in the next free slot. */
    public SimNode<N> addNode(NodeId id) {
        Objects.requireNonNull(id, "id");
        int index = nodes.size();
        SimNode<N> node = new SimNode<>(index, id);
        network.latency().place(index, master);
        nodes.add(node);
        boot(node, false);
        return node;
    }

    /** Crashes a live node: it stops receiving, its timers never fire, its state is lost. */
    public void crash(SimNode<N> node) {
        requireLive(node, "crash");
        node.stop(SimNode.State.CRASHED);
        liveCount--;
    }

    /** Restarts a crashed node as a new, empty core with the same ID and address. */
    public N restart(SimNode<N> node) {
        if (node.state() != SimNode.State.CRASHED) {
            throw new IllegalStateException("only a crashed node restarts; " + node + " is " + node.state());
        }
        boot(node, true);
        return node.core();
    }

    /** Lets a live node leave gracefully: the leave hook runs, then the node is gone for good. */
    public void leave(SimNode<N> node) {
        requireLive(node, "leave");
        leaveHook.accept(node.core());
        node.stop(SimNode.State.DEPARTED);
        liveCount--;
    }

    /**
     * Opens {@code partition} at virtual time {@code openAtMillis} and heals it at
     * {@code healAtMillis}; both must not be in the past, and the heal must come after the open.
     */
    public void partition(Partition partition, long openAtMillis, long healAtMillis) {
        Objects.requireNonNull(partition, "partition");
        if (healAtMillis <= openAtMillis) {
            throw new IllegalArgumentException("partition " + partition.name() + " heals at t=" + healAtMillis
                    + " ms, not after it opens at t=" + openAtMillis + " ms");
        }
        scheduler.scheduleAt(openAtMillis, () -> network.open(partition));
        scheduler.scheduleAt(healAtMillis, () -> network.heal(partition));
    }

    /**
     * Attaches an endpoint at {@code address}, which must not be a node address: datagrams nodes
     * send there go to {@code receiver}, and the endpoint can send to nodes.
     */
    public ExternalEndpoint attachEndpoint(InetSocketAddress address, DatagramReceiver receiver) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(receiver, "receiver");
        if (SimAddresses.indexOf(address) >= 0 || endpoints.containsKey(address)) {
            throw new IllegalArgumentException("endpoint address " + address + " is a node's or already taken");
        }
        ExternalEndpoint endpoint = new ExternalEndpoint(this, address, receiver);
        endpoints.put(address, endpoint);
        return endpoint;
    }

    /** Every node ever added, by slot. */
    public List<SimNode<N>> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /** The live nodes, by slot. */
    public List<SimNode<N>> liveNodes() {
        List<SimNode<N>> live = new ArrayList<>(liveCount);
        for (SimNode<N> n : nodes) {
            if (n.isLive()) {
                live.add(n);
            }
        }
        return live;
    }

    /** Number of live nodes. */
    public int liveCount() {
        return liveCount;
    }

    /** The node at a simulated address, or null. */
    public SimNode<N> nodeAt(InetSocketAddress address) {
        int index = SimAddresses.indexOf(address);
        return index >= 0 && index < nodes.size() ? nodes.get(index) : null;
    }

    /** Runs the network until virtual time {@code timeMillis}. */
    public void runUntil(long timeMillis) {
        scheduler.runUntil(timeMillis);
    }

    /** Runs the network for {@code durationMillis} of virtual time. */
    public void runFor(long durationMillis) {
        scheduler.runFor(durationMillis);
    }

    /** Virtual time now. */
    public long nowMillis() {
        return scheduler.nowMillis();
    }

    void transmit(SimNode<?> from, InetSocketAddress to, byte[] datagram) {
        traffic.sent++;
        traffic.sentBytes += datagram.length;
        SimNode<N> target = nodeAt(to);
        if (target == null) {
            ExternalEndpoint endpoint = endpoints.get(to);
            if (endpoint == null) {
                traffic.droppedUnknownAddress++;
            } else {
                traffic.delivered++;
                InetSocketAddress source = from.address();
                scheduler.schedule(ExternalEndpoint.DELAY_MILLIS, () -> endpoint.deliver(source, datagram));
            }
            return;
        }
        long delay = network.transitMillis(from.index(), target.index(), traffic);
        if (delay < 0) {
            return;
        }
        InetSocketAddress source = from.address();
        scheduler.schedule(delay, () -> deliver(target, source, datagram));
    }

    void fromEndpoint(InetSocketAddress source, InetSocketAddress to, byte[] datagram) {
        SimNode<N> target = nodeAt(to);
        if (target == null) {
            throw new IllegalArgumentException("endpoint " + source + " sent to " + to + ", which is no node");
        }
        traffic.sent++;
        traffic.sentBytes += datagram.length;
        scheduler.schedule(ExternalEndpoint.DELAY_MILLIS, () -> deliver(target, source, datagram));
    }

    private void deliver(SimNode<N> target, InetSocketAddress source, byte[] datagram) {
        if (!target.isLive()) {
            traffic.droppedDeadTarget++;
            return;
        }
        traffic.delivered++;
        target.core().receive(source, datagram);
    }

    private void boot(SimNode<N> node, boolean restart) {
        SimEnvironment environment = new SimEnvironment(this, node, master.split());
        N core = factory.create(environment, node.id());
        if (core == null) {
            throw new IllegalStateException("node factory returned null for " + node);
        }
        node.start(core, environment, restart);
        liveCount++;
    }

    private void requireLive(SimNode<N> node, String action) {
        if (!node.isLive()) {
            throw new IllegalStateException("cannot " + action + " " + node + ": it is not live");
        }
    }
}
