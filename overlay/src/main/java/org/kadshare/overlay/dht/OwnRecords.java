package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.EncodedKeyword;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.PutKeywordQuery;
import org.kadshare.overlay.krpc.PutManifestQuery;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.KeywordRecordCodec;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.ManifestException;

/**
 * What this node itself puts into the DHT and keeps renewing until it is withdrawn: the keys it
 * announces as a holder (with their TCP port), its manifests and its keyword records. Each is
 * stored at the k nodes closest to its key after a lookup, and again at every re-announce or
 * republish; the node's own manifests and keyword records are also kept in its own stores.
 */
final class OwnRecords {
    /** The source IP that this node's own manifests are charged to in its store: 0.0.0.0. */
    private static final InetAddress OWN_RECORDS = new InetSocketAddress(0).getAddress();

    /** A manifest this node publishes and keeps republishing, under its DHT key. */
    private record Published(NodeId key, byte[] encoded) {}

    /** A keyword record this node publishes and keeps republishing, with its content's DHT key. */
    private record PublishedKeyword(NodeId contentKey, byte[] encoded) {}

    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final Lookups lookups;
    private final StoredRecords records;
    private final BooleanSupplier stopped;
    private final Map<NodeId, Integer> announced = new LinkedHashMap<>();
    private final Map<String, Published> published = new LinkedHashMap<>();
    private final Map<String, PublishedKeyword> publishedKeywords = new LinkedHashMap<>();
    private final Consumer<InetSocketAddress> relayAccepted;
    private boolean unreachable;

    OwnRecords(DhtEnvironment env, NodeId id, DhtConfig config, RoutingTable table, Lookups lookups,
               StoredRecords records, BooleanSupplier stopped, Consumer<InetSocketAddress> relayAccepted) {
        this.env = env;
        this.id = id;
        this.config = config;
        this.table = table;
        this.lookups = lookups;
        this.records = records;
        this.stopped = stopped;
        this.relayAccepted = relayAccepted;
    }

    /** See {@link DhtNode#announceUnreachable}. */
    void unreachable(boolean unreachable) {
        this.unreachable = unreachable;
    }

    /** Whether this node announces itself as unreachable. */
    boolean unreachable() {
        return unreachable;
    }

    /** The TCP port this node announces for {@code key}, or null if it does not announce it. */
    Integer announcedPort(NodeId key) {
        return announced.get(key);
    }

    /** The keys this node announces itself as a holder of. */
    Set<NodeId> announcedKeys() {
        return announced.keySet();
    }

    /** See {@link DhtNode#announce}. */
    CompletableFuture<Integer> announce(NodeId key, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("announce port must be 1..65535, got " + port);
        }
        announced.put(key, port);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        boolean behindNat = unreachable;
        lookups.lookup(key, table.closest(key, config.k()), Lookups.Kind.PEERS, result -> lookups.storeAtClosest(
                result, (tid, token) -> new AnnouncePeerQuery(tid, id, key, port, false, token, DhtNode.VERSION,
                        behindNat), done, behindNat ? relayAccepted : stored -> { }));
        return done;
    }

    /** See {@link DhtNode#withdraw}. */
    boolean withdraw(NodeId key) {
        boolean renewed = announced.remove(key) != null;
        renewed |= publishedKeywords.values().removeIf(p -> p.contentKey().equals(key));
        return published.values().removeIf(p -> p.key().equals(key)) || renewed;
    }

    /** See {@link DhtNode#putManifest}. */
    CompletableFuture<Integer> putManifest(byte[] encoded) {
        Manifest manifest;
        try {
            manifest = ManifestCodec.decode(encoded);
        } catch (ManifestException | RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("manifest does not verify: "
                    + e.getMessage(), e));
        }
        NodeId key = NodeId.of(manifest.id().dhtKey());
        published.put(manifest.id().toHex() + HexFormat.of().formatHex(manifest.publisherKey()),
                new Published(key, encoded.clone()));
        records.manifests().put(key, manifest.publisherKey(), manifest.createdEpochSeconds(), encoded,
                env.nowMillis() + config.manifestTtlMillis(), OWN_RECORDS);
        EncodedManifest wire = EncodedManifest.of(encoded);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        lookups.lookup(key, table.closest(key, config.k()), Lookups.Kind.MANIFESTS, result -> lookups.storeAtClosest(
                result, (tid, token) -> new PutManifestQuery(tid, id, key, wire, token, DhtNode.VERSION), done));
        return done;
    }

    /** See {@link DhtNode#putKeyword}. */
    CompletableFuture<Integer> putKeyword(byte[] encoded) {
        KeywordRecord record;
        try {
            record = KeywordRecordCodec.decode(encoded);
        } catch (ManifestException | RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("keyword record does not verify: "
                    + e.getMessage(), e));
        }
        Manifest manifest = record.manifest();
        NodeId key = NodeId.of(record.dhtKey());
        String publisher = HexFormat.of().formatHex(manifest.publisherKey());
        publishedKeywords.put(record.word() + "/" + publisher + "/" + manifest.id().toHex(),
                new PublishedKeyword(NodeId.of(manifest.id().dhtKey()), encoded.clone()));
        records.keywords().put(key, publisher + "/" + manifest.id().toHex(), publisher,
                manifest.createdEpochSeconds(), encoded, env.nowMillis() + config.manifestTtlMillis(), OWN_RECORDS);
        EncodedKeyword wire = EncodedKeyword.of(encoded);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        lookups.lookup(key, table.closest(key, config.k()), Lookups.Kind.KEYWORDS, result -> lookups.storeAtClosest(
                result, (tid, token) -> new PutKeywordQuery(tid, id, key, wire, token, DhtNode.VERSION), done));
        return done;
    }

    /** Announces every announced key again. */
    void reannounce() {
        new LinkedHashMap<>(announced).forEach(this::announce);
    }

    /** Puts every manifest again, and the keyword records spread out ({@link #republishKeywords}). */
    void republish() {
        new ArrayList<>(published.values()).forEach(p -> putManifest(p.encoded()));
        republishKeywords();
    }

    /**
     * Puts every keyword record again, spread evenly over half a republish period: a node sharing
     * thousands of files has several records per file, and all at once would queue more lookups
     * than the pacer lets through in time. A record withdrawn meanwhile is skipped.
     */
    private void republishKeywords() {
        List<String> names = new ArrayList<>(publishedKeywords.keySet());
        long gapMillis = names.isEmpty() ? 0 : config.republishMillis() / 2 / names.size();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            env.schedule(i * gapMillis, () -> {
                PublishedKeyword p = publishedKeywords.get(name);
                if (p != null && !stopped.getAsBoolean()) {
                    putKeyword(p.encoded());
                }
            });
        }
    }
}
