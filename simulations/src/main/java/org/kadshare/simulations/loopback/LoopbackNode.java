package org.kadshare.simulations.loopback;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.kadshare.overlay.dht.DhtNode;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.runtime.UdpDriver;

/**
 * One real DHT node of a {@link LoopbackNetwork}: a {@link DhtNode} on its own UDP socket and
 * event loop. The core is not thread-safe, so every call goes through {@link #call}, which runs it
 * on the node's loop.
 */
public final class LoopbackNode {
    private final NodeId id;
    private final UdpDriver driver;
    private final DhtNode core;

    LoopbackNode(NodeId id, UdpDriver driver, DhtNode core) {
        this.id = id;
        this.driver = driver;
        this.core = core;
    }

    /** The node's ID. */
    public NodeId id() {
        return id;
    }

    /** The bound UDP address (127.0.0.1 and the port the system picked). */
    public InetSocketAddress address() {
        return driver.localAddress();
    }

    /** The node's driver, for its counters. */
    public UdpDriver driver() {
        return driver;
    }

    /**
     * Runs {@code action} on the node's loop with its core and returns the future the action
     * returns, such as {@code node.call(dht -> dht.findHolders(key))}.
     */
    public <T> CompletableFuture<T> call(Function<DhtNode, CompletableFuture<T>> action) {
        return driver.submit(() -> action.apply(core)).thenCompose(f -> f);
    }

    @Override
    public String toString() {
        return "loopback node " + id.toHex().substring(0, 8) + " at " + address();
    }
}
