package org.kadshare.simulations.sim;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DhtEnvironment;

/**
 * The {@link DhtEnvironment} of one life of one simulated node: virtual time, timers as scheduler
 * events, sends handed to the network model, and the node's own random generator. When the node
 * crashes or leaves, the environment dies: its pending timers are cancelled and its sends dropped,
 * so a core can never act after its death and its memory is freed; a restart gets a new
 * environment. Timers are tracked in a list compacted when it doubles, so tracking is amortized O(1).
 */
public final class SimEnvironment implements DhtEnvironment {
    private static final int MIN_COMPACT_SIZE = 16;

    private final Simulation<?> simulation;
    private final SimNode<?> node;
    private final RandomGenerator random;
    private boolean alive = true;
    private long datagramsSent;
    private final List<Event> timers = new ArrayList<>();
    private int compactAtSize = MIN_COMPACT_SIZE;

    SimEnvironment(Simulation<?> simulation, SimNode<?> node, RandomGenerator random) {
        this.simulation = simulation;
        this.node = node;
        this.random = random;
    }

    @Override
    public long nowMillis() {
        return simulation.scheduler().nowMillis();
    }

    @Override
    public void send(InetSocketAddress to, byte[] datagram) {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(datagram, "datagram");
        if (alive) {
            datagramsSent++;
            simulation.transmit(node, to, datagram.clone());
        }
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        Objects.requireNonNull(task, "task");
        if (delayMillis < 0) {
            throw new IllegalArgumentException(node + " scheduled a task " + delayMillis + " ms in the past");
        }
        Event event = simulation.scheduler().schedule(delayMillis, () -> {
            if (alive) {
                task.run();
            }
        });
        timers.add(event);
        if (timers.size() >= compactAtSize) {
            timers.removeIf(Event::isFinished);
            compactAtSize = Math.max(MIN_COMPACT_SIZE, 2 * timers.size());
        }
        return event;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    /** The node this environment serves. */
    public SimNode<?> node() {
        return node;
    }

    /** Datagrams this life of the node has sent. */
    public long datagramsSent() {
        return datagramsSent;
    }

    /** Whether this life of the node is still going. */
    public boolean isAlive() {
        return alive;
    }

    /** Ends this life: pending timers are cancelled (releasing the core they hold) and sends dropped. */
    void kill() {
        alive = false;
        for (Event e : timers) {
            e.cancel();
        }
        timers.clear();
    }
}
