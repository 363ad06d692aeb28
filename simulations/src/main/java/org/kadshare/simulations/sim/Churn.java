package org.kadshare.simulations.sim;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DatagramReceiver;

/**
 * A churn process that keeps the network at about constant size: every live node gets a session
 * length; when it ends the node departs (crashes, or with probability {@code gracefulFraction}
 * leaves gracefully) and a fresh node with a new ID and address is added in its place and handed
 * to {@code onFreshNode} (which typically makes it join). Nodes added later by the scenario are not
 * churned unless {@link #enrol} is called for them.
 *
 * @param <N> the type of core the simulation drives
 */
public final class Churn<N extends DatagramReceiver> {
    private final Simulation<N> simulation;
    private final SessionLengths sessions;
    private final double gracefulFraction;
    private final Consumer<SimNode<N>> onFreshNode;
    private final RandomGenerator random;
    private boolean stopped;
    private long departures;

    private Churn(Simulation<N> simulation, SessionLengths sessions, double gracefulFraction,
                  Consumer<SimNode<N>> onFreshNode, RandomGenerator random) {
        this.simulation = simulation;
        this.sessions = sessions;
        this.gracefulFraction = gracefulFraction;
        this.onFreshNode = onFreshNode;
        this.random = random;
    }

    /** Starts churning every node live now; {@code random} drives sessions and departure kinds. */
    public static <N extends DatagramReceiver> Churn<N> start(Simulation<N> simulation, SessionLengths sessions,
                                                            double gracefulFraction, RandomGenerator random,
                                                            Consumer<SimNode<N>> onFreshNode) {
        return start(simulation, simulation.liveNodes(), sessions, gracefulFraction, random, onFreshNode);
    }

    /** Starts churning the given nodes (and their replacements); others are left alone. */
    public static <N extends DatagramReceiver> Churn<N> start(Simulation<N> simulation, List<SimNode<N>> churned,
                                                            SessionLengths sessions, double gracefulFraction,
                                                            RandomGenerator random, Consumer<SimNode<N>> onFreshNode) {
        if (!(gracefulFraction >= 0 && gracefulFraction <= 1)) {
            throw new IllegalArgumentException("graceful fraction must be within [0, 1]: " + gracefulFraction);
        }
        Churn<N> churn = new Churn<>(Objects.requireNonNull(simulation, "simulation"),
                Objects.requireNonNull(sessions, "sessions"), gracefulFraction,
                Objects.requireNonNull(onFreshNode, "onFreshNode"), Objects.requireNonNull(random, "random"));
        for (SimNode<N> node : churned) {
            churn.enrol(node);
        }
        return churn;
    }

    /** Gives {@code node} a session; it departs when the session ends. */
    public void enrol(SimNode<N> node) {
        int incarnation = node.incarnation();
        simulation.scheduler().schedule(sessions.sampleMillis(random), () -> end(node, incarnation));
    }

    /** Stops further departures and replacements. */
    public void stop() {
        stopped = true;
    }

    /** Number of nodes that have departed through churn. */
    public long departures() {
        return departures;
    }

    private void end(SimNode<N> node, int incarnation) {
        if (stopped || !node.isLive() || node.incarnation() != incarnation) {
            return;
        }
        departures++;
        if (random.nextDouble() < gracefulFraction) {
            simulation.leave(node);
        } else {
            simulation.crash(node);
        }
        SimNode<N> fresh = simulation.addNode();
        onFreshNode.accept(fresh);
        enrol(fresh);
    }
}
