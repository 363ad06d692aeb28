package org.kadshare.simulations.sim;

import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.NodeId;

/**
 * Builds the protocol core of one simulated node. Called when a node is added and again, with the
 * same ID and a fresh environment, each time a crashed node restarts (a new instance, empty state).
 *
 * @param <N> the type of core the simulation drives
 */
@FunctionalInterface
public interface NodeFactory<N extends DatagramReceiver> {
    /** A new core for the node {@code id}, acting only through {@code environment}. */
    N create(SimEnvironment environment, NodeId id);
}
