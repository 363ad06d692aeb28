package org.kadshare.overlay.runtime;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.kadshare.overlay.dht.ConnectBackResult;
import org.kadshare.overlay.dht.DhtContact;
import org.kadshare.overlay.dht.DhtNode;
import org.kadshare.overlay.dht.DhtStatus;
import org.kadshare.overlay.dht.FoundHolders;
import org.kadshare.overlay.dht.KrpcTraffic;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.dht.ReverseDialer;
import org.kadshare.overlay.dht.SampledKeys;
import org.kadshare.overlay.krpc.ReverseCookie;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.KeywordRecordCodec;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.ManifestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running DHT node on a real UDP socket: the public entry point of the DHT for the rest of the
 * program. It composes a {@link DhtNode} (the protocol) with a {@link UdpDriver} (the socket and
 * its event-loop thread) and adds nothing of the protocol itself.
 *
 * <p>Threads. Every method may be called from any thread. Each call hops onto the driver's loop,
 * where the core runs single-threaded, and returns a {@link CompletableFuture}. Those futures are
 * never completed on the loop: they complete on this node's one callback thread
 * ({@code kadshare-dht-callbacks}), so a caller may block on them, and stages attached to them
 * without an executor run on that thread, in order. Such a stage must not block waiting for
 * another future of the same node (it would wait for its own thread); use {@code thenCompose} or
 * an {@code ...Async} variant instead.
 *
 * <p>Lifecycle. {@link #close()} stops the core's timers, closes the socket, fails every future
 * still pending with an {@link IllegalStateException} and stops the callback thread; it is
 * idempotent. Calls after it fail the same way.
 */
public final class Dht implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dht.class);

    private final UdpDriver driver;
    private final DhtNode node;
    private final NodeId id;
    private final ExecutorService callbacks;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Dht(UdpDriver driver, DhtNode node, ExecutorService callbacks) {
        this.driver = driver;
        this.node = node;
        this.id = node.id();
        this.callbacks = callbacks;
    }

    /**
     * Binds the socket, builds the core on the loop thread and starts its timers.
     *
     * @throws java.net.BindException if the address cannot be bound; the message names it
     */
    public static Dht start(DhtOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        NodeId nodeId = options.nodeId().orElseGet(() -> NodeId.random(new SecureRandom()));
        AtomicReference<DhtNode> core = new AtomicReference<>();
        UdpDriver driver = UdpDriver.start(options.bind(), env -> {
            DhtNode n = new DhtNode(env, nodeId, options.config());
            n.start();
            core.set(n);
            return n;
        });
        ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kadshare-dht-callbacks");
            t.setDaemon(true);
            return t;
        });
        return new Dht(driver, core.get(), callbacks);
    }

    /** This node's ID. */
    public NodeId nodeId() {
        return id;
    }

    /** The bound UDP address, with the real port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return driver.localAddress();
    }

    /** Joins through {@code bootstrap}; completes with the routing table size afterwards. */
    public CompletableFuture<Integer> join(List<InetSocketAddress> bootstrap) {
        List<InetSocketAddress> seeds = List.copyOf(bootstrap);
        return call(n -> n.join(seeds));
    }

    /**
     * Announces this node as a holder of {@code key} serving on TCP {@code port}, now and on the
     * re-announce schedule; completes with how many of the key's closest nodes accepted.
     */
    public CompletableFuture<Integer> announce(NodeId key, int port) {
        Objects.requireNonNull(key, "key");
        return call(n -> n.announce(key, port));
    }

    /** {@link #announce(NodeId, int)} under the DHT key of {@code content}. */
    public CompletableFuture<Integer> announce(ContentId content, int port) {
        return announce(keyOf(content), port);
    }

    /**
     * Stops renewing the holder record and manifests of {@code content} (see
     * {@link DhtNode#withdraw}); completes with whether anything was being renewed.
     */
    public CompletableFuture<Boolean> withdraw(ContentId content) {
        NodeId key = keyOf(content);
        return call(n -> CompletableFuture.completedFuture(n.withdraw(key)));
    }

    /** The addresses that announced {@code key} (empty when none was found). */
    public CompletableFuture<List<InetSocketAddress>> findHolders(NodeId key) {
        Objects.requireNonNull(key, "key");
        return call(n -> n.findHolders(key));
    }

    /** {@link #findHolders(NodeId)} under the DHT key of {@code content}. */
    public CompletableFuture<List<InetSocketAddress>> findHolders(ContentId content) {
        return findHolders(keyOf(content));
    }

    /**
     * The addresses that announced {@code content}, each also handed to {@code onHolder} as soon as
     * it is known (this node's own records first, then each answer's new addresses), so a caller
     * can connect to the first holder while the lookup goes on. {@code onHolder} runs on the
     * callback thread, once per address, always before the future completes; the future completes
     * with every address reported, in that order. If {@code onHolder} throws, the future fails
     * with that exception and it is not called again.
     */
    public CompletableFuture<List<InetSocketAddress>> findHolders(ContentId content,
                                                                  Consumer<InetSocketAddress> onHolder) {
        NodeId key = keyOf(content);
        return this.<InetSocketAddress, InetSocketAddress>streamed((n, each) -> n.findHolders(key, each),
                holder -> holder, onHolder);
    }

    /**
     * {@link #findHolders(ContentId, Consumer)}, also handing each holder that cannot be reached
     * to {@code onRelayed} with its relay ({@link DhtNode#lookupHolders(NodeId, Consumer, BiConsumer)};
     * the relay is null when this node keeps the record), on the
     * callback thread.
     */
    public CompletableFuture<List<InetSocketAddress>> findHolders(ContentId content,
            Consumer<InetSocketAddress> onHolder, BiConsumer<InetSocketAddress, InetSocketAddress> onRelayed) {
        return lookupHolders(content, onHolder, onRelayed).thenApply(FoundHolders::holders);
    }

    /**
     * {@link #findHolders(ContentId, Consumer, BiConsumer)}, completing with how the lookup went
     * too: whether any contact answered tells "no holder" from "nobody said".
     */
    public CompletableFuture<FoundHolders> lookupHolders(ContentId content,
            Consumer<InetSocketAddress> onHolder, BiConsumer<InetSocketAddress, InetSocketAddress> onRelayed) {
        NodeId key = keyOf(content);
        Objects.requireNonNull(onRelayed, "onRelayed");
        return this.<InetSocketAddress, InetSocketAddress, FoundHolders, FoundHolders>streamed(
                (n, each) -> n.lookupHolders(key, each,
                        (holder, relay) -> onCallbacks(() -> onRelayed.accept(holder, relay))),
                holder -> holder, onHolder, (found, given) -> new FoundHolders(given, found.trace()));
    }

    /** Whether this node announces itself as unreachable from now on ({@link DhtNode#announceUnreachable}). */
    public CompletableFuture<Void> announceUnreachable(boolean unreachable) {
        return call(n -> {
            n.announceUnreachable(unreachable);
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Who opens the connections relays ask for; {@code dialer} runs on the DHT's loop and must not block. */
    public CompletableFuture<Void> reverseDialer(ReverseDialer dialer) {
        Objects.requireNonNull(dialer, "dialer");
        return call(n -> {
            n.reverseDialer(dialer);
            return CompletableFuture.completedFuture(null);
        });
    }

    /**
     * Asks {@code relay} to have relayed {@code holder} of {@code content} connect to this node's
     * block {@code port} ({@link DhtNode#connectToMe}): null once forwarded, or why not.
     */
    public CompletableFuture<String> connectToMe(InetSocketAddress relay, ContentId content,
            InetSocketAddress holder, int port, ReverseCookie cookie) {
        NodeId key = keyOf(content);
        return call(n -> n.connectToMe(relay, key, holder, port, cookie));
    }

    /**
     * Stores {@code manifest} at the closest nodes to its content's key, now and on the republish
     * schedule; completes with how many accepted, or fails if it does not verify.
     */
    public CompletableFuture<Integer> putManifest(Manifest manifest) {
        byte[] encoded = ManifestCodec.encode(Objects.requireNonNull(manifest, "manifest"));
        return call(n -> n.putManifest(encoded));
    }

    /**
     * The manifests published for {@code content}, each decoded and verified; any that fails to
     * verify or describes another content (same DHT key, different full ID) is left out.
     */
    public CompletableFuture<List<Manifest>> findManifests(ContentId content) {
        return findManifests(content, manifest -> { });
    }

    /**
     * {@link #findManifests(ContentId)}, handing each verified manifest to {@code onManifest} as
     * soon as it is known (this node's own copies first). Decoding and verification happen on the
     * callback thread, not on the event loop; {@code onManifest} runs there too, once per manifest,
     * always before the future completes with every manifest reported, in that order. If
     * {@code onManifest} throws, the future fails with that exception and it is not called again.
     */
    public CompletableFuture<List<Manifest>> findManifests(ContentId content, Consumer<Manifest> onManifest) {
        NodeId key = keyOf(content);
        return this.<byte[], Manifest>streamed((n, each) -> n.findManifests(key, each),
                encoded -> verified(content, encoded), onManifest);
    }

    /**
     * The manifests published under the DHT key {@code key}, whatever content ID they name (a
     * browse knows only the key of what it sampled), each decoded and verified, handed to
     * {@code onManifest} as {@link #findManifests(ContentId, Consumer)} does.
     */
    public CompletableFuture<List<Manifest>> findManifests(NodeId key, Consumer<Manifest> onManifest) {
        Objects.requireNonNull(key, "key");
        return this.<byte[], Manifest>streamed((n, each) -> n.findManifests(key, each),
                encoded -> verifiedUnder(key, encoded), onManifest);
    }

    /**
     * Crawls the network for the keys nodes store (BEP 51 sample_infohashes, see
     * {@link DhtNode#sampleKeys}), with at most {@code maxQueries} queries for at most
     * {@code timeoutMillis}.
     */
    public CompletableFuture<SampledKeys> sampleKeys(int maxQueries, long timeoutMillis) {
        return call(n -> n.sampleKeys(maxQueries, timeoutMillis));
    }

    /**
     * Stores {@code record} at the closest nodes to its word's key, now and on the republish
     * schedule until its content is withdrawn; completes with how many accepted.
     */
    public CompletableFuture<Integer> putKeyword(KeywordRecord record) {
        byte[] encoded = KeywordRecordCodec.encode(Objects.requireNonNull(record, "record"));
        return call(n -> n.putKeyword(encoded));
    }

    /**
     * The keyword records published under {@code word} (a normalised word, {@link Keywords}),
     * each decoded and verified on the callback thread; a forged one or one of another word is
     * left out.
     */
    public CompletableFuture<List<KeywordRecord>> findKeywords(String word) {
        NodeId key = NodeId.of(Keywords.dhtKey(word));
        return this.<byte[], KeywordRecord>streamed((n, each) -> n.findKeywords(key, each),
                encoded -> verifiedKeyword(word, encoded), r -> { });
    }

    /** Contacts in the routing table. */
    public CompletableFuture<Integer> routingTableSize() {
        return call(n -> CompletableFuture.completedFuture(n.routingTableSize()));
    }

    /** A snapshot of the core's tables and counters. */
    public CompletableFuture<DhtStatus> status() {
        return call(n -> CompletableFuture.completedFuture(n.status()));
    }

    /** This node's address as the peers that answer it agree they see it; empty until they do. */
    public CompletableFuture<Optional<InetSocketAddress>> externalAddress() {
        return call(n -> CompletableFuture.completedFuture(n.externalAddress()));
    }

    /**
     * Asks up to {@code peers} contacts to connect back to this node's source address at TCP
     * {@code port} ({@link DhtNode#checkReachable}).
     */
    public CompletableFuture<ConnectBackResult> checkReachable(int port, int peers) {
        return call(n -> n.checkReachable(port, peers));
    }

    /**
     * {@link #checkReachable(int, int)}, each peer also pinging UDP {@code udpPort} from another
     * socket ({@link DhtNode#checkReachable(int, int, int)}).
     */
    public CompletableFuture<ConnectBackResult> checkReachable(int port, int udpPort, int peers) {
        return call(n -> n.checkReachable(port, udpPort, peers));
    }

    /** Queries in and out by method, and lookups with their durations. */
    public CompletableFuture<KrpcTraffic.Snapshot> traffic() {
        return call(n -> CompletableFuture.completedFuture(n.traffic()));
    }

    /** The routing contacts, each with whether it is live. */
    public CompletableFuture<List<DhtContact>> contacts() {
        return call(n -> CompletableFuture.completedFuture(n.contacts()));
    }

    /** The socket's counters; safe to read from any thread at any time. */
    public UdpCounters socketCounters() {
        return driver.counters();
    }

    /**
     * Stops the core's timers, closes the socket, fails pending futures and stops the callback
     * thread. Idempotent; waits a bounded time for the loop to stop.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            driver.submit(() -> {
                node.stop();
                return null;
            }).get(UdpDriver.LIFECYCLE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("DHT node {} did not stop its timers cleanly", id, e);
        }
        driver.close();
        IllegalStateException gone = new IllegalStateException("DHT node " + id + " was closed");
        for (CompletableFuture<?> f : new ArrayList<>(pending)) {
            f.completeExceptionally(gone);
        }
        callbacks.shutdown();
    }

    private <T> CompletableFuture<T> call(Function<DhtNode, CompletableFuture<T>> op) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new IllegalStateException("DHT node " + id + " is closed"));
            return result;
        }
        pending.add(result);
        result.whenComplete((v, e) -> pending.remove(result));
        driver.submit(() -> op.apply(node))
                .thenCompose(Function.identity())
                .whenComplete((v, e) -> handOver(result, v, e));
        return result;
    }

    private <T> void handOver(CompletableFuture<T> result, T value, Throwable failure) {
        Runnable complete = () -> {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure instanceof java.util.concurrent.CompletionException
                        && failure.getCause() != null ? failure.getCause() : failure);
            }
        };
        try {
            callbacks.execute(complete);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new IllegalStateException("DHT node " + id + " was closed", e));
        }
    }

    /**
     * Runs a streaming find of the core: each item the core reports on the loop is handed over to
     * the callback thread, converted there ({@code convert} returns null to drop it) and given to
     * {@code onEach}; the future completes, on that thread and after every item, with the items
     * given, in order.
     */
    private <E, T> CompletableFuture<List<T>> streamed(BiFunction<DhtNode, Consumer<E>, CompletableFuture<?>> find,
                                                       Function<E, T> convert, Consumer<T> onEach) {
        return this.<E, T, Object, List<T>>streamed((n, each) -> find.apply(n, each).thenApply(c -> c), convert,
                onEach, (core, given) -> given);
    }

    /**
     * {@link #streamed(BiFunction, Function, Consumer)}, completing with what {@code finish} makes
     * of the core's result and the items given.
     */
    private <E, T, C, R> CompletableFuture<R> streamed(
            BiFunction<DhtNode, Consumer<E>, CompletableFuture<C>> find, Function<E, T> convert,
            Consumer<T> onEach, BiFunction<C, List<T>, R> finish) {
        Objects.requireNonNull(onEach, "consumer");
        CompletableFuture<R> out = new CompletableFuture<>();
        List<T> given = new ArrayList<>();          // touched only on the callback thread
        Consumer<E> fromLoop = item -> onCallbacks(() -> {
            if (out.isDone()) {
                return;
            }
            T converted = convert.apply(item);
            if (converted == null) {
                return;
            }
            given.add(converted);
            try {
                onEach.accept(converted);
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        call(n -> find.apply(n, fromLoop)).whenComplete((v, e) -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(finish.apply(v, List.copyOf(given)));
            }
        });
        return out;
    }

    /** Runs {@code task} on the callback thread; after {@link #close()} it is dropped. */
    private void onCallbacks(Runnable task) {
        try {
            callbacks.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("DHT node {} is closed: a streamed result was dropped", id);
        }
    }

    private static NodeId keyOf(ContentId content) {
        return NodeId.of(Objects.requireNonNull(content, "content").dhtKey());
    }

    /** The manifest {@code encoded} holds if it verifies and describes {@code content}, else null. */
    private static Manifest verified(ContentId content, byte[] encoded) {
        try {
            Manifest m = ManifestCodec.decode(encoded);
            if (m.id().equals(content)) {
                return m;
            }
        } catch (ManifestException | RuntimeException e) {
            LOG.debug("dropped a manifest for {} that does not decode", content, e);
        }
        return null;
    }

    /** The manifest {@code encoded} holds if it verifies and belongs under {@code key}, else null. */
    private static Manifest verifiedUnder(NodeId key, byte[] encoded) {
        try {
            Manifest m = ManifestCodec.decode(encoded);
            if (keyOf(m.id()).equals(key)) {
                return m;
            }
        } catch (ManifestException | RuntimeException e) {
            LOG.debug("dropped a manifest under {} that does not decode", key, e);
        }
        return null;
    }

    /** The record {@code encoded} holds if it verifies and is filed under {@code word}, else null. */
    private static KeywordRecord verifiedKeyword(String word, byte[] encoded) {
        try {
            KeywordRecord r = KeywordRecordCodec.decode(encoded);
            if (r.word().equals(word)) {
                return r;
            }
        } catch (ManifestException | RuntimeException e) {
            LOG.debug("dropped a keyword record for \"{}\" that does not decode", word, e);
        }
        return null;
    }

    @Override
    public String toString() {
        return "Dht[" + id + " at " + driver.localAddress() + (closed.get() ? ", closed]" : "]");
    }
}
