package org.kadshare.overlay.node;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.kadshare.overlay.reach.Reachability;
import org.kadshare.overlay.reach.ReachabilityMonitor;
import org.kadshare.overlay.runtime.Dht;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the DHT's "unreachable" flag ({@code Dht.announceUnreachable}) in line with what
 * {@code status} says: every {@link #CHECK_MILLIS} it reads the reachability, and when it turns
 * to or from {@code unreachable} it sets the flag and has everything announced again, so the
 * holder records say whether getters must go through a relay. Only a change is pushed, so a node
 * whose status never says unreachable (every node on one host, or with port mapping off and no
 * NAT) never touches the flag.
 */
final class UnreachableFlag {
    private static final Logger LOG = LoggerFactory.getLogger(UnreachableFlag.class);
    /** How often the reachability is read. */
    static final long CHECK_MILLIS = 2_000;

    private final Dht dht;
    private final ReachabilityMonitor reach;
    private final Runnable announceAll;
    private volatile boolean unreachable;
    /** What the status said at the last check; only the checks on the node's executor touch it. */
    private boolean statusSaid;

    private UnreachableFlag(Dht dht, ReachabilityMonitor reach, Runnable announceAll) {
        this.dht = dht;
        this.reach = reach;
        this.announceAll = announceAll;
    }

    /** Starts reading on {@code executor} (the node's). */
    static UnreachableFlag start(Dht dht, ReachabilityMonitor reach, Runnable announceAll,
            ScheduledExecutorService executor) {
        UnreachableFlag flag = new UnreachableFlag(dht, reach, announceAll);
        executor.scheduleWithFixedDelay(flag::check, CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS);
        return flag;
    }

    /** Whether this node's status last said unreachable. */
    boolean unreachable() {
        return unreachable;
    }

    /** Sets the flag (as a change of the status does) and has everything announced again. */
    void set(boolean unreachable) {
        this.unreachable = unreachable;
        dht.announceUnreachable(unreachable).thenRun(announceAll);
    }

    private void check() {
        dht.externalAddress().thenAccept(seen -> {
            boolean now = reach.status(seen).how() == Reachability.How.UNREACHABLE;
            if (now != statusSaid) {
                statusSaid = now;
                LOG.info(now ? "This node cannot be reached: its holder records now ask getters to go through"
                        + " the nodes that store them" : "This node can be reached again: its holder records say so");
                set(now);
            }
        }).exceptionally(e -> {
            LOG.debug("reading the reachability failed: {}", e.toString());
            return null;
        });
    }
}
