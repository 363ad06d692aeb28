package org.kadshare.overlay.runtime;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.dht.NodeId;

/**
 * How to start a {@link Dht}: where to bind, which node ID to use and the protocol's limits and times.
 *
 * @param bind   the UDP address to bind; port 0 picks a free port
 * @param nodeId the node ID; empty draws a random one from {@link java.security.SecureRandom}
 *               (a long-lived node should persist its ID and pass it here on every start)
 * @param config the DHT's limits and times
 */
public record DhtOptions(InetSocketAddress bind, Optional<NodeId> nodeId, DhtConfig config) {
    /** Rejects null parts and unresolved bind addresses. */
    public DhtOptions {
        Objects.requireNonNull(bind, "bind address");
        Objects.requireNonNull(nodeId, "nodeId (use Optional.empty() for a random one)");
        Objects.requireNonNull(config, "config");
        if (bind.isUnresolved()) {
            throw new IllegalArgumentException("bind address must be resolved: " + bind);
        }
    }

    /** Binding {@code bind} with a random node ID and {@link DhtConfig#defaults()}. */
    public static DhtOptions bindTo(InetSocketAddress bind) {
        return new DhtOptions(bind, Optional.empty(), DhtConfig.defaults());
    }

    /** These options with node ID {@code id}. */
    public DhtOptions withNodeId(NodeId id) {
        return new DhtOptions(bind, Optional.of(id), config);
    }

    /** These options with config {@code c}. */
    public DhtOptions withConfig(DhtConfig c) {
        return new DhtOptions(bind, nodeId, c);
    }
}
