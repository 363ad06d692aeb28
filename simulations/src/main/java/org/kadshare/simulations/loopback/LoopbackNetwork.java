package org.kadshare.simulations.loopback;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.dht.DhtNode;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.runtime.UdpDriver;

/**
 * A test fixture of N real DHT nodes in this JVM on 127.0.0.1, each with its own UDP port and
 * event loop ({@link UdpDriver}). Node 0 starts alone; every other node joins through node 0 and
 * the node started just before it. Close it to free every socket and thread.
 *
 * <pre>
 * try (LoopbackNetwork net = LoopbackNetwork.start(10, 42)) {
 *     net.node(3).call(dht -&gt; dht.announce(key, 7000)).get(10, SECONDS);
 *     List&lt;InetSocketAddress&gt; holders = net.node(7).call(dht -&gt; dht.findHolders(key)).get(10, SECONDS);
 * }
 * </pre>
 *
 * Unlike the simulator this is real time and real sockets: it proves the runtime works, not how a
 * large network behaves. Each node costs a thread, so keep N small (tens).
 */
public final class LoopbackNetwork implements AutoCloseable {
    /** Longest wait for all nodes to finish joining before {@link #start} fails. */
    public static final long JOIN_TIMEOUT_MILLIS = 30_000;
    /** Upper bound on N: each node is a thread and a socket. */
    public static final int MAX_NODES = 200;

    private final List<LoopbackNode> nodes = new ArrayList<>();

    private LoopbackNetwork() {
    }

    /**
     * The configuration loopback nodes need: the defaults, except that all nodes share one IP, so
     * the one-contact-per-IP rule is off and the per-IP limits (query rate, holder records) are
     * raised out of the way.
     */
    public static DhtConfig loopbackConfig() {
        DhtConfig d = DhtConfig.defaults();
        return new DhtConfig(d.k(), d.alpha(), d.replacementCacheSize(), d.maxFailures(),
                d.questionableAfterMillis(), d.bucketRefreshMillis(), false, d.queryTimeoutMillis(),
                d.rttInitialMillis(), d.rttMinMillis(), d.rttMaxMillis(), d.maxPendingQueries(),
                d.tokenRotationMillis(), 100_000, 100_000, d.rateLimitedSources(),
                d.holderTtlMillis(), d.reannounceMillis(), d.holdersPerKey(), d.holderKeys(), d.holderKeys(),
                d.holdersReturned(), d.manifestTtlMillis(), d.republishMillis(), d.manifestsPerKey(),
                d.manifestKeys(), d.cacheMinTtlMillis(), d.maintenanceMillis());
    }

    /** Starts {@code count} nodes with {@link #loopbackConfig()} and IDs drawn from {@code seed}. */
    public static LoopbackNetwork start(int count, long seed) throws IOException {
        return start(count, seed, loopbackConfig());
    }

    /** Starts {@code count} nodes with {@code config}; returns once all have joined. */
    public static LoopbackNetwork start(int count, long seed, DhtConfig config) throws IOException {
        if (count < 1 || count > MAX_NODES) {
            throw new IllegalArgumentException("a loopback network has 1.." + MAX_NODES + " nodes, asked for " + count);
        }
        SplittableRandom ids = new SplittableRandom(seed);
        LoopbackNetwork net = new LoopbackNetwork();
        try {
            InetSocketAddress anyPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            List<CompletableFuture<Integer>> joins = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                NodeId id = NodeId.random(ids);
                AtomicReference<DhtNode> core = new AtomicReference<>();
                UdpDriver driver = UdpDriver.start(anyPort, env -> {
                    DhtNode node = new DhtNode(env, id, config);
                    node.start();
                    core.set(node);
                    return node;
                });
                LoopbackNode node = new LoopbackNode(id, driver, core.get());
                if (i > 0) {
                    List<InetSocketAddress> seeds = i == 1 ? List.of(net.nodes.get(0).address())
                            : List.of(net.nodes.get(0).address(), net.nodes.get(i - 1).address());
                    joins.add(node.call(dht -> dht.join(seeds)));
                }
                net.nodes.add(node);
            }
            CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new))
                    .get(JOIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            return net;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            net.close();
            throw new IOException("interrupted while starting the loopback network", e);
        } catch (ExecutionException | TimeoutException e) {
            net.close();
            throw new IOException("loopback network of " + count + " nodes did not finish joining within "
                    + JOIN_TIMEOUT_MILLIS + " ms", e);
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** The nodes, in start order. */
    public List<LoopbackNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Node {@code index}, in start order. */
    public LoopbackNode node(int index) {
        return nodes.get(index);
    }

    /** Number of nodes. */
    public int size() {
        return nodes.size();
    }

    /** Stops every node: closes its socket and its event loop. */
    @Override
    public void close() {
        for (LoopbackNode n : nodes) {
            n.driver().close();
        }
    }
}
