package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verified, encoded manifests per key, one slot per publisher key, so a publisher's republish
 * replaces its earlier manifest, but never with one it signed earlier: anyone can replay an old
 * signed manifest, so the creation time decides (an equal time replaces). The store treats
 * manifests as opaque bytes: the caller has already checked the signature and that the manifest
 * belongs to the key.
 *
 * <p>Design note. Each record is charged to the IP address that stored it first (a republish,
 * from wherever it comes, keeps that charge). The limits follow {@link HolderStore}'s: per key at
 * most {@code maxPerKeyPerIp} publishers stored from one IP (further ones are refused: minting
 * publisher keys is free, an address is not); a full key makes the IP with the most records in it
 * give way to a newcomer with at least two fewer, its record closest to expiry first; and in
 * total at most {@code maxRecords} manifests of at most {@code maxManifestBytes} each (the memory
 * bound), where a full store makes the IP with the most records overall give way, its least
 * recently stored first. Otherwise first come, kept until expiry: a flood of fresh keys from one
 * address cannot push out a publisher that keeps republishing. {@link #get} deals manifests
 * round-robin over the IPs that stored them.
 */
final class ManifestStore {
    private static final HexFormat HEX = HexFormat.of();

    private record Record(byte[] encoded, long createdEpochSeconds, long expiresAtMillis, InetAddress source) {}

    private record Slot(NodeId key, String publisher) {}

    private static final class KeyManifests {
        final LinkedHashMap<String, Record> records = new LinkedHashMap<>();
        final IpShares shares = new IpShares();
    }

    /** What became of a put. */
    enum Outcome {
        /** Stored, or replaced the publisher's earlier manifest. */
        STORED,
        /** Refused by a limit: manifest size, publishers per key or per key and IP, or the total. */
        FULL,
        /** Refused: the publisher's stored manifest was created later. */
        OLDER
    }

    private final int maxPerKey;
    private final int maxPerKeyPerIp;
    private final int maxRecords;
    private final int maxManifestBytes;
    private final TreeMap<NodeId, KeyManifests> byKey = new TreeMap<>();
    private final IpShares totals = new IpShares();
    private final Map<InetAddress, LinkedHashSet<Slot>> byIp = new HashMap<>();
    private int size;

    ManifestStore(int maxPerKey, int maxPerKeyPerIp, int maxRecords, int maxManifestBytes) {
        if (maxPerKey < 1 || maxPerKeyPerIp < 1 || maxRecords < 1 || maxManifestBytes < 1) {
            throw new IllegalArgumentException("manifest store limits must be positive: perKey=" + maxPerKey
                    + " perKeyPerIp=" + maxPerKeyPerIp + " records=" + maxRecords
                    + " manifestBytes=" + maxManifestBytes);
        }
        this.maxPerKey = maxPerKey;
        this.maxPerKeyPerIp = maxPerKeyPerIp;
        this.maxRecords = maxRecords;
        this.maxManifestBytes = maxManifestBytes;
    }

    /**
     * Stores {@code encoded} (signed at {@code createdEpochSeconds}, sent from {@code source}) as
     * {@code publisherKey}'s manifest for {@code key}, replacing that publisher's earlier one
     * unless the stored one was created later; the expiry never moves earlier.
     */
    Outcome put(NodeId key, byte[] publisherKey, long createdEpochSeconds, byte[] encoded, long expiresAtMillis,
                InetAddress source) {
        if (encoded.length > maxManifestBytes) {
            return Outcome.FULL;
        }
        String publisher = HEX.formatHex(publisherKey);
        KeyManifests manifests = byKey.get(key);
        Record old = manifests == null ? null : manifests.records.get(publisher);
        if (old != null) {
            if (old.createdEpochSeconds() > createdEpochSeconds) {
                return Outcome.OLDER;
            }
            manifests.records.put(publisher, new Record(encoded.clone(), createdEpochSeconds,
                    Math.max(old.expiresAtMillis(), expiresAtMillis), old.source()));
            LinkedHashSet<Slot> slots = byIp.get(old.source());
            Slot slot = new Slot(key, publisher);
            slots.remove(slot);
            slots.add(slot);
            return Outcome.STORED;
        }
        if (manifests != null && !makeRoomInKey(manifests, key, source)) {
            return Outcome.FULL;
        }
        if (size >= maxRecords) {
            InetAddress yielding = totals.yieldingTo(source);
            if (yielding == null) {
                return Outcome.FULL;
            }
            remove(byIp.get(yielding).iterator().next());
        }
        manifests = byKey.computeIfAbsent(key, k -> new KeyManifests());
        manifests.records.put(publisher, new Record(encoded.clone(), createdEpochSeconds, expiresAtMillis, source));
        manifests.shares.add(source);
        totals.add(source);
        byIp.computeIfAbsent(source, a -> new LinkedHashSet<>()).add(new Slot(key, publisher));
        size++;
        return Outcome.STORED;
    }

    private boolean makeRoomInKey(KeyManifests manifests, NodeId key, InetAddress source) {
        if (manifests.shares.count(source) >= maxPerKeyPerIp) {
            return false;
        }
        if (manifests.records.size() < maxPerKey) {
            return true;
        }
        InetAddress yielding = manifests.shares.yieldingTo(source);
        if (yielding == null) {
            return false;
        }
        String soonest = null;
        long soonestMillis = Long.MAX_VALUE;
        for (Map.Entry<String, Record> e : manifests.records.entrySet()) {
            if (e.getValue().source().equals(yielding) && e.getValue().expiresAtMillis() < soonestMillis) {
                soonest = e.getKey();
                soonestMillis = e.getValue().expiresAtMillis();
            }
        }
        remove(new Slot(key, soonest));
        return true;
    }

    /**
     * Up to {@code max} live encoded manifests of {@code key}, in the order first stored, dealt
     * round-robin over the IPs that stored them.
     */
    List<byte[]> get(NodeId key, int max, long nowMillis) {
        KeyManifests manifests = byKey.get(key);
        if (manifests == null) {
            return List.of();
        }
        List<Record> live = new ArrayList<>();
        for (Record r : manifests.records.values()) {
            if (r.expiresAtMillis() > nowMillis) {
                live.add(r);
            }
        }
        return RoundRobin.byIp(live, Record::source, max).stream().map(r -> r.encoded().clone()).toList();
    }

    /** Drops every manifest whose expiry time is not after {@code nowMillis}. */
    void expire(long nowMillis) {
        List<Slot> expired = new ArrayList<>();
        for (Map.Entry<NodeId, KeyManifests> k : byKey.entrySet()) {
            for (Map.Entry<String, Record> e : k.getValue().records.entrySet()) {
                if (e.getValue().expiresAtMillis() <= nowMillis) {
                    expired.add(new Slot(k.getKey(), e.getKey()));
                }
            }
        }
        expired.forEach(this::remove);
    }

    int size() {
        return size;
    }

    int keyCount() {
        return byKey.size();
    }

    /** The keys with records (some may have expired since the last {@link #expire}), ordered. */
    java.util.Set<NodeId> keys() {
        return java.util.Collections.unmodifiableSet(byKey.keySet());
    }

    private void remove(Slot slot) {
        KeyManifests manifests = byKey.get(slot.key());
        Record r = manifests.records.remove(slot.publisher());
        manifests.shares.remove(r.source());
        if (manifests.records.isEmpty()) {
            byKey.remove(slot.key());
        }
        totals.remove(r.source());
        LinkedHashSet<Slot> slots = byIp.get(r.source());
        slots.remove(slot);
        if (slots.isEmpty()) {
            byIp.remove(r.source());
        }
        size--;
    }
}
