package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.HexFormat;
import java.util.SortedSet;
import java.util.TreeSet;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.EncodedKeyword;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PutKeywordQuery;
import org.kadshare.overlay.krpc.PutManifestQuery;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.KeywordRecordCodec;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.ManifestException;

/**
 * The records this node stores for the network: holders (announce_peer), manifests
 * (put_manifest) and keyword records (put_keyword), each in its bounded store. A store query is
 * accepted only with a valid token and, for manifests and keyword records, one that verifies and
 * belongs to the key; the answer is a response or the KRPC error that says why not. A record
 * lives {@code max(minTtl, ttl / 2^floor(c/k))} where {@code c} counts our contacts closer to the
 * key ({@link CacheTtl}).
 */
final class StoredRecords {
    /** Keyword records per word key (see {@link ManifestStore#forKeywords}). */
    static final int KEYWORDS_PER_KEY = 64;
    /** Keyword records of one publisher key under one word key. */
    static final int KEYWORDS_PER_KEY_PER_PUBLISHER = 4;
    /** Keyword records stored from one IP under one word key. */
    static final int KEYWORDS_PER_KEY_PER_IP = 8;
    /** Keyword records in total, the memory bound (50,000 of at most 900 bytes, ~45 MB). */
    static final int KEYWORD_RECORDS = 50_000;

    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final TokenIssuer tokens;
    private final HolderStore holders;
    private final ManifestStore manifests;
    private final ManifestStore keywords;

    StoredRecords(DhtEnvironment env, NodeId id, DhtConfig config, RoutingTable table, TokenIssuer tokens) {
        this.env = env;
        this.id = id;
        this.config = config;
        this.table = table;
        this.tokens = tokens;
        this.holders = new HolderStore(config.holdersPerKey(), config.holdersPerKeyPerIp(), config.holderRecords());
        this.manifests = new ManifestStore(config.manifestsPerKey(), config.manifestsPerKeyPerIp(),
                config.manifestRecords(), EncodedManifest.MAX_BYTES);
        this.keywords = ManifestStore.forKeywords(KEYWORDS_PER_KEY, KEYWORDS_PER_KEY_PER_PUBLISHER,
                KEYWORDS_PER_KEY_PER_IP, KEYWORD_RECORDS, EncodedKeyword.MAX_BYTES);
    }

    HolderStore holders() {
        return holders;
    }

    ManifestStore manifests() {
        return manifests;
    }

    ManifestStore keywords() {
        return keywords;
    }

    /** Drops the records whose time is up. */
    void expire(long now) {
        holders.expire(now);
        manifests.expire(now);
        keywords.expire(now);
    }

    /** Every key holders or manifests are stored under, plus {@code alsoKeys}, ordered. */
    SortedSet<NodeId> keys(java.util.Collection<NodeId> alsoKeys) {
        TreeSet<NodeId> keys = new TreeSet<>(holders.keys());
        keys.addAll(manifests.keys());
        keys.addAll(alsoKeys);
        return keys;
    }

    /** How many keys the holder store and the manifest store hold records under, added up. */
    int keyCount() {
        return holders.keyCount() + manifests.keyCount();
    }

    KrpcMessage store(InetSocketAddress from, AnnouncePeerQuery q) {
        if (!tokens.isValid(from.getAddress(), q.token().toBytes(), env.nowMillis())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "bad token", DhtNode.VERSION);
        }
        long expires = env.nowMillis() + recordTtl(config.holderTtlMillis(), q.infoHash());
        if (!holders.put(q.infoHash(), q.holderAddress(from), expires, q.unreachable() ? from : null)) {
            return new KrpcError(q.transactionId(), KrpcError.GENERIC, "holder store full", DhtNode.VERSION);
        }
        return KrpcResponse.ofId(q.transactionId(), id, DhtNode.VERSION);
    }

    KrpcMessage store(InetSocketAddress from, PutManifestQuery q) {
        if (!tokens.isValid(from.getAddress(), q.token().toBytes(), env.nowMillis())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "bad token", DhtNode.VERSION);
        }
        byte[] encoded = q.manifest().toBytes();
        Manifest manifest;
        try {
            manifest = ManifestCodec.decode(encoded);
        } catch (ManifestException | RuntimeException e) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "invalid manifest", DhtNode.VERSION);
        }
        if (!NodeId.of(manifest.id().dhtKey()).equals(q.key())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "manifest does not belong to key",
                    DhtNode.VERSION);
        }
        long expires = env.nowMillis() + recordTtl(config.manifestTtlMillis(), q.key());
        return stored(q.transactionId(), manifests.put(q.key(), manifest.publisherKey(),
                manifest.createdEpochSeconds(), encoded, expires, from.getAddress()),
                "manifest store full", "a later manifest of this publisher is stored");
    }

    KrpcMessage store(InetSocketAddress from, PutKeywordQuery q) {
        if (!tokens.isValid(from.getAddress(), q.token().toBytes(), env.nowMillis())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "bad token", DhtNode.VERSION);
        }
        byte[] encoded = q.record().toBytes();
        KeywordRecord record;
        try {
            record = KeywordRecordCodec.decode(encoded);
        } catch (ManifestException | RuntimeException e) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "invalid keyword record", DhtNode.VERSION);
        }
        if (!NodeId.of(record.dhtKey()).equals(q.key())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "keyword record does not belong to key",
                    DhtNode.VERSION);
        }
        Manifest manifest = record.manifest();
        long expires = env.nowMillis() + recordTtl(config.manifestTtlMillis(), q.key());
        String publisher = HexFormat.of().formatHex(manifest.publisherKey());
        return stored(q.transactionId(), keywords.put(q.key(), publisher + "/" + manifest.id().toHex(), publisher,
                manifest.createdEpochSeconds(), encoded, expires, from.getAddress()),
                "keyword store full", "a later record of this publisher and content is stored");
    }

    private KrpcMessage stored(TransactionId tid, ManifestStore.Outcome outcome, String full, String older) {
        return switch (outcome) {
            case STORED -> KrpcResponse.ofId(tid, id, DhtNode.VERSION);
            case FULL -> new KrpcError(tid, KrpcError.GENERIC, full, DhtNode.VERSION);
            case OLDER -> new KrpcError(tid, KrpcError.GENERIC, older, DhtNode.VERSION);
        };
    }

    /** Full TTL among the key's k closest, shorter the more nodes lie between us and the key. */
    private long recordTtl(long fullTtlMillis, NodeId key) {
        return CacheTtl.ttlMillis(fullTtlMillis, config.cacheMinTtlMillis(),
                CacheTtl.closerContacts(table, key), config.k());
    }
}
