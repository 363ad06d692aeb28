package org.kadshare.overlay.node;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;
import org.kadshare.overlay.krpc.ReverseCookie;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.overlay.transfer.TransferException;
import org.kadshare.overlay.transfer.download.ReverseLinks;
import org.kadshare.overlay.transfer.server.BlockServer;
import org.kadshare.storage.ContentId;

/**
 * The getter's side of reverse connections on a node: which holders the DHT listed as relayed
 * (each with the node that relays to it), and, when a download wants one of them, the request
 * through its relay ({@code connect_to_me} with a fresh random cookie) and the wait for the
 * connection the holder opens to this node's block server. At most {@link #MAX_ROUTES} holders
 * are kept (the first relay heard for each), so a flood of relayed records costs nothing more.
 */
final class RelayedHolders implements ReverseLinks {
    /** Relayed holders remembered, over all gets. */
    static final int MAX_ROUTES = 4096;

    private record Key(ContentId content, InetSocketAddress holder) {}

    /** A relay, or none when this node keeps the holder's record itself. */
    private record Relay(InetSocketAddress address) {}

    private final ConcurrentHashMap<Key, Relay> routes = new ConcurrentHashMap<>();
    /** The running gets that found relayed holders of each content: its routes go with the last. */
    private final ConcurrentHashMap<ContentId, Set<Object>> gets = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final BlockServer server;
    private final Dht dht;
    private final IntSupplier blockPort;

    RelayedHolders(BlockServer server, Dht dht, IntSupplier blockPort) {
        this.server = server;
        this.dht = dht;
        this.blockPort = blockPort;
    }

    /**
     * {@code get} found that {@code holder} of {@code content} cannot be reached, and that
     * {@code relay} (null: this node) relays to it.
     */
    void relayed(Object get, ContentId content, InetSocketAddress holder, InetSocketAddress relay) {
        gets.computeIfAbsent(content, c -> ConcurrentHashMap.newKeySet()).add(get);
        if (routes.size() < MAX_ROUTES) {
            routes.putIfAbsent(new Key(content, holder), new Relay(relay));
        }
    }

    /**
     * {@code get} of {@code content} ended: the relayed holders of {@code content} are forgotten
     * unless another get of it that found some is still running.
     */
    void forget(Object get, ContentId content) {
        gets.computeIfPresent(content, (c, running) -> {
            running.remove(get);
            if (!running.isEmpty()) {
                return running;
            }
            routes.keySet().removeIf(k -> k.content().equals(content));
            return null;
        });
    }

    /** Whether a reverse connection to {@code holder} of {@code content} can be asked for. */
    boolean knows(ContentId content, InetSocketAddress holder) {
        return routes.containsKey(new Key(content, holder));
    }

    @Override
    public Optional<CompletableFuture<Channel>> open(ContentId content, InetSocketAddress holder, long timeoutMillis) {
        Relay relay = routes.get(new Key(content, holder));
        if (relay == null) {
            return Optional.empty();
        }
        byte[] cookie = new byte[ReverseCookie.LENGTH_BYTES];
        random.nextBytes(cookie);
        String via = relay.address() == null ? "this node" : "relay " + relay.address();
        CompletableFuture<Channel> arrives = server.awaitReverse(cookie, timeoutMillis);
        dht.connectToMe(relay.address(), content, holder, blockPort.getAsInt(), ReverseCookie.of(cookie))
                .whenComplete((refused, error) -> {
                    if (error != null || refused != null) {
                        arrives.completeExceptionally(new TransferException(null, "holder " + holder
                                + " is behind a NAT and could not be asked to connect to this node through " + via
                                + ": " + (error != null ? error.getMessage() : refused)));
                    }
                });
        return Optional.of(arrives.handle((ch, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(ch);
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            return CompletableFuture.<Channel>failedFuture(cause instanceof TimeoutException
                    ? new TransferException(null, "holder " + holder + " is behind a NAT and did not connect to this"
                            + " node within " + timeoutMillis + " ms of the request through " + via
                            + " (is this node's block port " + blockPort.getAsInt() + " reachable?)")
                    : cause);
        }).thenCompose(f -> f));
    }
}
