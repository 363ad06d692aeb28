package org.kadshare.simulations.scenario;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.simulations.sim.NodeFactory;

/**
 * What the scenarios ask of a DHT core, so that they can drive any implementation: the real
 * {@code DhtNode} through its adapter, or a stand-in in tests. Every call happens on the
 * simulation's thread; completions must be reported on it too (from a datagram or a timer).
 *
 * @param <N> the core type
 */
public interface DhtDriver<N extends DatagramReceiver> {

    /** Builds a fresh core for a simulated node. */
    NodeFactory<N> factory();

    /** Starts joining through {@code bootstrap}; {@code done} runs once the join has finished. */
    void join(N core, List<InetSocketAddress> bootstrap, Runnable done);

    /** Announces the node as a holder of {@code key} and keeps the record renewed. */
    void announce(N core, NodeId key, int port);

    /** Looks up the holders of {@code key}. */
    void findHolders(N core, NodeId key, Consumer<LookupOutcome> done);

    /** Number of contacts in the node's routing table. */
    int routingTableSize(N core);

    /**
     * The addresses of the contacts in the node's routing table, or empty when the core does not
     * show them (then the share of live contacts cannot be reported).
     */
    Optional<List<InetSocketAddress>> contacts(N core);

    /** Asks the core to leave gracefully (stop timers, forget state); the network drops it next. */
    void leave(N core);

    /** How long a holder record lives at a storing node unless renewed. */
    long holderTtlMillis();

    /**
     * Whether the core answers KRPC find_node queries; then, if it does not show its contacts,
     * the harness probes its table from outside at the end of the run.
     */
    default boolean speaksKrpc() {
        return false;
    }

    /** Whether the core stores signed manifests; if not, scenarios skip them. */
    default boolean storesManifests() {
        return false;
    }

    /** Publishes an encoded, signed manifest and keeps it republished. */
    default void putManifest(N core, byte[] encoded) {
        throw new UnsupportedOperationException("this core does not store manifests");
    }

    /** Looks up the encoded manifests stored under {@code key}. */
    default void findManifests(N core, NodeId key, Consumer<List<byte[]>> done) {
        throw new UnsupportedOperationException("this core does not store manifests");
    }

    /** Whether the core stores keyword records for search; if not, the search scenario cannot run. */
    default boolean storesKeywords() {
        return false;
    }

    /** Publishes an encoded, signed keyword record and keeps it republished. */
    default void putKeyword(N core, byte[] encoded) {
        throw new UnsupportedOperationException("this core does not store keyword records");
    }

    /** Looks up the encoded keyword records stored under {@code key} (a word's DHT key). */
    default void findKeywords(N core, NodeId key, Consumer<List<byte[]>> done) {
        throw new UnsupportedOperationException("this core does not store keyword records");
    }

    /** How long a manifest lives at a storing node unless republished. */
    default long manifestTtlMillis() {
        throw new UnsupportedOperationException("this core does not store manifests");
    }
}
