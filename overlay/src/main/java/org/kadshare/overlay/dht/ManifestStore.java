package org.kadshare.overlay.dht;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verified, encoded manifests per key, one slot per publisher key, so a publisher's republish
 * replaces its earlier manifest, but never with one it signed earlier: anyone can replay an old
 * signed manifest, so the creation time decides (an equal time replaces). The store treats
 * manifests as opaque bytes: the caller has already checked the signature and that the manifest
 * belongs to the key. Bounded by keys in total, publishers per key and the size of one manifest. A
 * full key refuses new publishers (first come, kept until expiry): evicting instead would let a
 * flood of fresh keys push out a publisher that keeps republishing.
 */
final class ManifestStore {
    private static final HexFormat HEX = HexFormat.of();

    private record Record(byte[] encoded, long createdEpochSeconds, long expiresAtMillis) {}

    /** What became of a put. */
    enum Outcome {
        /** Stored, or replaced the publisher's earlier manifest. */
        STORED,
        /** Refused by a limit: manifest size, keys, or publishers per key. */
        FULL,
        /** Refused: the publisher's stored manifest was created later. */
        OLDER
    }

    private final int maxPerKey;
    private final int maxKeys;
    private final int maxManifestBytes;
    private final TreeMap<NodeId, LinkedHashMap<String, Record>> byKey = new TreeMap<>();

    ManifestStore(int maxPerKey, int maxKeys, int maxManifestBytes) {
        if (maxPerKey < 1 || maxKeys < 1 || maxManifestBytes < 1) {
            throw new IllegalArgumentException("manifest store limits must be positive: perKey=" + maxPerKey
                    + " keys=" + maxKeys + " manifestBytes=" + maxManifestBytes);
        }
        this.maxPerKey = maxPerKey;
        this.maxKeys = maxKeys;
        this.maxManifestBytes = maxManifestBytes;
    }

    /**
     * Stores {@code encoded} (signed at {@code createdEpochSeconds}) as {@code publisherKey}'s
     * manifest for {@code key}, replacing that publisher's earlier one unless the stored one was
     * created later; the expiry never moves earlier.
     */
    Outcome put(NodeId key, byte[] publisherKey, long createdEpochSeconds, byte[] encoded, long expiresAtMillis) {
        if (encoded.length > maxManifestBytes) {
            return Outcome.FULL;
        }
        String publisher = HEX.formatHex(publisherKey);
        LinkedHashMap<String, Record> records = byKey.get(key);
        if (records == null) {
            if (byKey.size() >= maxKeys) {
                return Outcome.FULL;
            }
            records = new LinkedHashMap<>();
            byKey.put(key, records);
        }
        Record old = records.get(publisher);
        if (old == null && records.size() >= maxPerKey) {
            return Outcome.FULL;
        }
        if (old != null && old.createdEpochSeconds() > createdEpochSeconds) {
            return Outcome.OLDER;
        }
        long expires = old == null ? expiresAtMillis : Math.max(old.expiresAtMillis(), expiresAtMillis);
        records.put(publisher, new Record(encoded.clone(), createdEpochSeconds, expires));
        return Outcome.STORED;
    }

    /** Up to {@code max} live encoded manifests of {@code key}, in the order first stored. */
    List<byte[]> get(NodeId key, int max, long nowMillis) {
        LinkedHashMap<String, Record> records = byKey.get(key);
        List<byte[]> live = new ArrayList<>();
        if (records != null) {
            for (Record r : records.values()) {
                if (r.expiresAtMillis() > nowMillis && live.size() < max) {
                    live.add(r.encoded().clone());
                }
            }
        }
        return live;
    }

    /** Drops every manifest whose expiry time is not after {@code nowMillis}. */
    void expire(long nowMillis) {
        Iterator<LinkedHashMap<String, Record>> keys = byKey.values().iterator();
        while (keys.hasNext()) {
            LinkedHashMap<String, Record> records = keys.next();
            records.values().removeIf(r -> r.expiresAtMillis() <= nowMillis);
            if (records.isEmpty()) {
                keys.remove();
            }
        }
    }

    int size() {
        int n = 0;
        for (Map<String, Record> records : byKey.values()) {
            n += records.size();
        }
        return n;
    }

    int keyCount() {
        return byKey.size();
    }
}
