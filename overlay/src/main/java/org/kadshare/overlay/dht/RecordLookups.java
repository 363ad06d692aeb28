package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PutManifestQuery;
import org.kadshare.overlay.krpc.Token;

/**
 * The finds of records: holders, manifests and keyword records of a key. Each reports this node's
 * own copies first (a lookup never asks the node itself, and in a small network it is often the
 * one storing the record), for holders also what the latest lookup of the key found within
 * {@link RecentHolders#FRESH_MILLIS}, then each answer's new ones as they arrive ({@link Arrivals} drops
 * repeats), and completes when the lookup ends. A manifest found is then cached at the closest
 * responder that lacked it (Kademlia's caching).
 */
final class RecordLookups {
    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final StoredRecords records;
    private final Lookups lookups;
    private final OutboundQueries queries;
    private final RecentHolders recent;

    RecordLookups(DhtEnvironment env, NodeId id, DhtConfig config, RoutingTable table, StoredRecords records,
                  Lookups lookups, OutboundQueries queries) {
        this.env = env;
        this.id = id;
        this.config = config;
        this.table = table;
        this.records = records;
        this.lookups = lookups;
        this.queries = queries;
        this.recent = new RecentHolders(config.holdersReturned());
    }

    /** See {@link DhtNode#lookupHolders(NodeId, Consumer, BiConsumer)}. */
    CompletableFuture<FoundHolders> lookupHolders(NodeId key, Consumer<InetSocketAddress> onHolder,
            BiConsumer<InetSocketAddress, InetSocketAddress> onRelayed) {
        Objects.requireNonNull(onHolder, "onHolder");
        Objects.requireNonNull(onRelayed, "onRelayed");
        CompletableFuture<FoundHolders> found = new CompletableFuture<>();
        Arrivals<InetSocketAddress> arrivals = new Arrivals<>(a -> a, onHolder, found);
        // What this lookup finds itself, for the next find of the key (not what came from recent).
        List<InetSocketAddress> ownFinds = new ArrayList<>();
        Consumer<InetSocketAddress> offer = a -> {
            if (ownFinds.size() < config.holdersReturned() && !ownFinds.contains(a)) {
                ownFinds.add(a);
            }
            arrivals.offer(a);
        };
        // This node may itself be one of the key's closest and hold the record (in a small
        // network it is often the only one that does): the lookup never asks itself.
        records.holders().get(key, config.holdersReturned(), env.nowMillis()).forEach(offer);
        recent.fresh(key, env.nowMillis()).forEach(arrivals::offer);
        records.holders().relayed(key, config.holdersReturned(), env.nowMillis()).forEach(h -> onRelayed.accept(h, null));
        lookups.lookup(key, table.closest(key, config.k()), Lookups.Kind.PEERS, new Lookup.Finds() {
            @Override
            public void holder(InetSocketAddress address) {
                offer.accept(address);
            }

            @Override
            public void value(byte[] value) {
            }

            @Override
            public void relayed(InetSocketAddress holder, InetSocketAddress relay) {
                onRelayed.accept(holder, relay);
            }
        }, r -> {
            records.holders().get(key, config.holdersReturned(), env.nowMillis()).forEach(offer);
            recent.found(key, ownFinds, env.nowMillis());
            found.complete(new FoundHolders(arrivals.all(), r.trace()));
        });
        return found;
    }

    /** See {@link DhtNode#findManifests(NodeId, Consumer)}. */
    CompletableFuture<List<byte[]>> findManifests(NodeId key, Consumer<byte[]> onManifest) {
        Objects.requireNonNull(onManifest, "onManifest");
        CompletableFuture<List<byte[]>> found = new CompletableFuture<>();
        Arrivals<byte[]> arrivals = new Arrivals<>(ByteBuffer::wrap, m -> onManifest.accept(m.clone()), found);
        records.manifests().get(key, KrpcResponse.MAX_MANIFESTS, env.nowMillis()).forEach(arrivals::offer);
        lookups.lookup(key, table.closest(key, config.k()), Lookups.Kind.MANIFESTS, valuesTo(arrivals), r -> {
            if (r.cacheAt() != null && r.cacheAt().token() != null && !r.values().isEmpty()) {
                Token token = Token.of(r.cacheAt().token());
                EncodedManifest wire = EncodedManifest.of(r.values().get(0));
                queries.query(r.cacheAt().contact().address(), r.cacheAt().contact().id(),
                        tid -> new PutManifestQuery(tid, id, key, wire, token, DhtNode.VERSION), reply -> { }, () -> { });
            }
            records.manifests().get(key, KrpcResponse.MAX_MANIFESTS, env.nowMillis()).forEach(arrivals::offer);
            found.complete(arrivals.all());
        });
        return found;
    }

    /** See {@link DhtNode#findKeywords}. */
    CompletableFuture<List<byte[]>> findKeywords(NodeId key, Consumer<byte[]> onRecord) {
        Objects.requireNonNull(onRecord, "onRecord");
        CompletableFuture<List<byte[]>> found = new CompletableFuture<>();
        Arrivals<byte[]> arrivals = new Arrivals<>(ByteBuffer::wrap, r -> onRecord.accept(r.clone()), found);
        records.keywords().get(key, StoredRecords.KEYWORDS_PER_KEY, env.nowMillis()).forEach(arrivals::offer);
        lookups.lookup(key, table.closest(key, config.k()), Lookups.Kind.KEYWORDS, valuesTo(arrivals),
                r -> found.complete(arrivals.all()));
        return found;
    }

    /** Finds that hand each value found to {@code arrivals} and ignore holders. */
    private static Lookup.Finds valuesTo(Arrivals<byte[]> arrivals) {
        return new Lookup.Finds() {
            @Override
            public void holder(InetSocketAddress address) {
            }

            @Override
            public void value(byte[] value) {
                arrivals.offer(value);
            }
        };
    }
}
