package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verified, encoded keyword records per word key, one slot per publisher and content, so a
 * publisher's republish replaces its earlier record of that content (never with one whose
 * manifest is older). The caller has already checked the signatures and that the record belongs
 * to the key.
 *
 * <p>Design note. A word is a shared resource: everyone may file content under "txt". So per key
 * one publisher key holds at most {@code maxPerKeyPerPublisher} records (a publisher cannot fill
 * a word's slots), and one source IP at most {@code maxPerKeyPerIp} (minting publisher keys is
 * free, an address is not). Each record is charged to the IP that stored it first. A full key
 * makes the IP with the most records in it give way to a newcomer with at least two fewer
 * ({@link IpShares}), its record closest to expiry first; a full store makes the IP with the most
 * records overall give way, its least recently stored first. So an honest publisher on its own
 * address always finds room, and {@link #get} deals records round-robin over the IPs that stored
 * them, so it is in the answer too.
 */
final class KeywordStore {
    private record Record(String publisher, byte[] encoded, long createdEpochSeconds, long expiresAtMillis,
                          InetAddress source) {}

    private record Slot(NodeId key, String name) {}

    private static final class KeyRecords {
        final LinkedHashMap<String, Record> records = new LinkedHashMap<>();
        final Map<String, Integer> perPublisher = new HashMap<>();
        final IpShares shares = new IpShares();
    }

    private final int maxPerKey;
    private final int maxPerKeyPerPublisher;
    private final int maxPerKeyPerIp;
    private final int maxRecords;
    private final TreeMap<NodeId, KeyRecords> byKey = new TreeMap<>();
    private final IpShares totals = new IpShares();
    private final Map<InetAddress, LinkedHashSet<Slot>> byIp = new HashMap<>();
    private int size;

    KeywordStore(int maxPerKey, int maxPerKeyPerPublisher, int maxPerKeyPerIp, int maxRecords) {
        if (maxPerKey < 1 || maxPerKeyPerPublisher < 1 || maxPerKeyPerIp < 1 || maxRecords < 1) {
            throw new IllegalArgumentException("keyword store limits must be positive: perKey=" + maxPerKey
                    + " perKeyPerPublisher=" + maxPerKeyPerPublisher + " perKeyPerIp=" + maxPerKeyPerIp
                    + " records=" + maxRecords);
        }
        this.maxPerKey = maxPerKey;
        this.maxPerKeyPerPublisher = maxPerKeyPerPublisher;
        this.maxPerKeyPerIp = maxPerKeyPerIp;
        this.maxRecords = maxRecords;
    }

    /**
     * Stores {@code encoded}, {@code publisher}'s record of {@code content} under {@code key}
     * (its manifest created at {@code createdEpochSeconds}, sent from {@code source}); the expiry
     * of a replaced record never moves earlier.
     */
    ManifestStore.Outcome put(NodeId key, String publisher, String content, long createdEpochSeconds, byte[] encoded,
                              long expiresAtMillis, InetAddress source) {
        String name = publisher + "/" + content;
        KeyRecords here = byKey.get(key);
        Record old = here == null ? null : here.records.get(name);
        if (old != null) {
            if (old.createdEpochSeconds() > createdEpochSeconds) {
                return ManifestStore.Outcome.OLDER;
            }
            here.records.put(name, new Record(publisher, encoded.clone(), createdEpochSeconds,
                    Math.max(old.expiresAtMillis(), expiresAtMillis), old.source()));
            LinkedHashSet<Slot> slots = byIp.get(old.source());
            Slot slot = new Slot(key, name);
            slots.remove(slot);
            slots.add(slot);
            return ManifestStore.Outcome.STORED;
        }
        if (here != null && !makeRoomInKey(here, key, publisher, source)) {
            return ManifestStore.Outcome.FULL;
        }
        if (size >= maxRecords) {
            InetAddress yielding = totals.yieldingTo(source);
            if (yielding == null) {
                return ManifestStore.Outcome.FULL;
            }
            remove(byIp.get(yielding).iterator().next());
        }
        here = byKey.computeIfAbsent(key, k -> new KeyRecords());
        here.records.put(name, new Record(publisher, encoded.clone(), createdEpochSeconds, expiresAtMillis, source));
        here.perPublisher.merge(publisher, 1, Integer::sum);
        here.shares.add(source);
        totals.add(source);
        byIp.computeIfAbsent(source, a -> new LinkedHashSet<>()).add(new Slot(key, name));
        size++;
        return ManifestStore.Outcome.STORED;
    }

    private boolean makeRoomInKey(KeyRecords here, NodeId key, String publisher, InetAddress source) {
        if (here.perPublisher.getOrDefault(publisher, 0) >= maxPerKeyPerPublisher
                || here.shares.count(source) >= maxPerKeyPerIp) {
            return false;
        }
        if (here.records.size() < maxPerKey) {
            return true;
        }
        InetAddress yielding = here.shares.yieldingTo(source);
        if (yielding == null) {
            return false;
        }
        String soonest = null;
        long soonestMillis = Long.MAX_VALUE;
        for (Map.Entry<String, Record> e : here.records.entrySet()) {
            if (e.getValue().source().equals(yielding) && e.getValue().expiresAtMillis() < soonestMillis) {
                soonest = e.getKey();
                soonestMillis = e.getValue().expiresAtMillis();
            }
        }
        remove(new Slot(key, soonest));
        return true;
    }

    /** Up to {@code max} live encoded records of {@code key}, dealt round-robin over their source IPs. */
    List<byte[]> get(NodeId key, int max, long nowMillis) {
        KeyRecords here = byKey.get(key);
        if (here == null) {
            return List.of();
        }
        List<Record> live = new ArrayList<>();
        for (Record r : here.records.values()) {
            if (r.expiresAtMillis() > nowMillis) {
                live.add(r);
            }
        }
        return RoundRobin.byIp(live, Record::source, max).stream().map(r -> r.encoded().clone()).toList();
    }

    /** Drops every record whose expiry time is not after {@code nowMillis}. */
    void expire(long nowMillis) {
        List<Slot> expired = new ArrayList<>();
        for (Map.Entry<NodeId, KeyRecords> k : byKey.entrySet()) {
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

    private void remove(Slot slot) {
        KeyRecords here = byKey.get(slot.key());
        Record r = here.records.remove(slot.name());
        here.shares.remove(r.source());
        here.perPublisher.computeIfPresent(r.publisher(), (p, n) -> n == 1 ? null : n - 1);
        if (here.records.isEmpty()) {
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
