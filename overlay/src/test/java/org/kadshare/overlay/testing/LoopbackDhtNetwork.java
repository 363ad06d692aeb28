package org.kadshare.overlay.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.overlay.runtime.DhtOptions;

/**
 * N real DHT nodes in one JVM, each on its own loopback address ({@code 127.0.1.1},
 * {@code 127.0.1.2}, ...; Linux routes the whole 127/8 range to loopback without setup) and an
 * ephemeral UDP port, so the one-contact-per-IP rule stays on as in production. Node 0 is the
 * bootstrap node. For tests in this module and, through the test-jar, the simulations module.
 *
 * <p>Every wait is bounded by {@link #AWAIT_MILLIS} and fails with a message naming what it waited for.
 */
public final class LoopbackDhtNetwork implements AutoCloseable {
    /** The longest any single wait of the fixture lasts. */
    public static final long AWAIT_MILLIS = 20_000;

    private final List<Dht> nodes;
    private final boolean[] stopped;

    private LoopbackDhtNetwork(List<Dht> nodes) {
        this.nodes = nodes;
        this.stopped = new boolean[nodes.size()];
    }

    /**
     * A config with times shrunk for tests: 2 s query timeout, holder and manifest TTL 6 s,
     * re-announce and republish every 1.5 s, maintenance every 500 ms; limits as in production.
     */
    public static DhtConfig fastConfig() {
        DhtConfig d = DhtConfig.defaults();
        return new DhtConfig(d.k(), d.alpha(), d.replacementCacheSize(), d.maxFailures(),
                d.questionableAfterMillis(), d.bucketRefreshMillis(), true,
                2_000, 250, 50, 1_000, d.maxPendingQueries(), d.tokenRotationMillis(),
                d.queriesPerSecond(), d.queryBurst(), d.rateLimitedSources(),
                6_000, 1_500, d.holdersPerKey(), d.holderRecords(), d.holdersPerKeyPerIp(), d.holdersReturned(),
                6_000, 1_500, d.manifestsPerKey(), d.manifestsPerKeyPerIp(), d.manifestRecords(),
                1_000, 500, d.diversity(), d.lookupPaths());
    }

    /** The loopback address of node {@code index}: 127.0.(1 + index / 250).(1 + index % 250). */
    public static InetAddress address(int index) {
        if (index < 0 || index >= 250 * 254) {
            throw new IllegalArgumentException("node index out of range: " + index);
        }
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (1 + index / 250), (byte) (1 + index % 250)});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts {@code size} nodes with {@code config}, not yet joined; closes them all on failure. */
    public static LoopbackDhtNetwork start(int size, DhtConfig config) throws IOException {
        if (size < 1) {
            throw new IllegalArgumentException("a network needs at least one node, got " + size);
        }
        List<Dht> started = new ArrayList<>(size);
        try {
            for (int i = 0; i < size; i++) {
                started.add(Dht.start(DhtOptions.bindTo(new InetSocketAddress(address(i), 0)).withConfig(config)));
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(Dht::close);
            throw e;
        }
        return new LoopbackDhtNetwork(List.copyOf(started));
    }

    /** Starts {@code size} nodes and joins every one after the first through node 0, one at a time. */
    public static LoopbackDhtNetwork joined(int size, DhtConfig config) throws IOException {
        LoopbackDhtNetwork net = start(size, config);
        try {
            for (int i = 1; i < size; i++) {
                await(net.node(i).join(List.of(net.bootstrap())), "node " + i + " joining through node 0");
            }
        } catch (RuntimeException | Error e) {
            net.close();
            throw e;
        }
        return net;
    }

    /** Waits for {@code future} at most {@link #AWAIT_MILLIS}; fails naming {@code what}. */
    public static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(AWAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": not done within " + AWAIT_MILLIS + " ms", e);
        } catch (ExecutionException e) {
            throw new AssertionError(what + ": failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(what + ": interrupted", e);
        }
    }

    public int size() {
        return nodes.size();
    }

    public Dht node(int index) {
        return nodes.get(index);
    }

    /** Every node, stopped ones included, by index. */
    public List<Dht> nodes() {
        return nodes;
    }

    /** The nodes not stopped, by index. */
    public List<Dht> running() {
        List<Dht> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (!stopped[i]) {
                out.add(nodes.get(i));
            }
        }
        return out;
    }

    /** Node 0's address. */
    public InetSocketAddress bootstrap() {
        return nodes.get(0).localAddress();
    }

    /** Closes node {@code index} as a crash would look to the others: it simply stops answering. */
    public void stop(int index) {
        stopped[index] = true;
        nodes.get(index).close();
    }

    public boolean isRunning(int index) {
        return !stopped[index];
    }

    @Override
    public void close() {
        for (int i = 0; i < nodes.size(); i++) {
            stop(i);
        }
    }
}
