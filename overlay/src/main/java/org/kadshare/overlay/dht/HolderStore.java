package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The holder records of {@code announce_peer}: for each key, the addresses of nodes that serve
 * the content, each until its expiry time. A re-announcement refreshes a record and never
 * shortens it.
 *
 * <p>Design note. The limits bound memory without letting one address hide the others:
 * <ul>
 *   <li>per key, at most {@code maxPerKeyPerIp} records of one IP address: a further port of that
 *       IP replaces the IP's own record closest to expiry, never another IP's;</li>
 *   <li>per key, at most {@code maxPerKey} records: a full key makes the IP with the most records
 *       in it give way to a newcomer with at least two fewer (first come otherwise);</li>
 *   <li>in total, at most {@code maxRecords} records (the memory bound, about 250 bytes each):
 *       a full store makes the IP with the most records over all keys give way, its least
 *       recently announced record first, so a holder of many files loses none to a flood from
 *       one address, and there is no per-IP total that a large honest holder could reach.</li>
 * </ul>
 * {@link #get} deals the live records out round-robin over IPs (the IP announced most recently
 * first, each IP's newest record first), so one IP with many ports cannot fill an answer.
 *
 * <p>A holder that announced itself unreachable (behind a NAT that forwards nothing) keeps, beside
 * its record, the UDP address its announce came from: where its NAT lets this node's datagrams in,
 * so where a {@code reverse_connect} reaches it ({@link #relayOf}). Such records count against the
 * same limits, are left out of {@link #get} and listed by {@link #relayed} instead; the latest
 * announce decides which kind a record is.
 */
final class HolderStore {
    private record Slot(NodeId key, InetSocketAddress holder) {}

    private static final class Record {
        final long expiresAtMillis;
        /** Where the announce of an unreachable holder came from; null for one that can be reached. */
        final InetSocketAddress relayTo;

        Record(long expiresAtMillis, InetSocketAddress relayTo) {
            this.expiresAtMillis = expiresAtMillis;
            this.relayTo = relayTo;
        }
    }

    /** One key's records, in announcement order (a refresh moves a record to the end). */
    private static final class KeyHolders {
        final LinkedHashMap<InetSocketAddress, Record> records = new LinkedHashMap<>();
        final IpShares shares = new IpShares();
    }

    private final int maxPerKey;
    private final int maxPerKeyPerIp;
    private final int maxRecords;
    private final TreeMap<NodeId, KeyHolders> byKey = new TreeMap<>();
    private final IpShares totals = new IpShares();
    private final Map<InetAddress, LinkedHashSet<Slot>> byIp = new HashMap<>();
    private int size;

    HolderStore(int maxPerKey, int maxPerKeyPerIp, int maxRecords) {
        if (maxPerKey < 1 || maxPerKeyPerIp < 1 || maxRecords < 1) {
            throw new IllegalArgumentException("holder store limits must be positive: perKey=" + maxPerKey
                    + " perKeyPerIp=" + maxPerKeyPerIp + " records=" + maxRecords);
        }
        this.maxPerKey = maxPerKey;
        this.maxPerKeyPerIp = maxPerKeyPerIp;
        this.maxRecords = maxRecords;
    }

    /** Stores or refreshes {@code holder} under {@code key}; false when a limit refused it. */
    boolean put(NodeId key, InetSocketAddress holder, long expiresAtMillis) {
        return put(key, holder, expiresAtMillis, null);
    }

    /**
     * Stores or refreshes {@code holder} under {@code key}, as a holder that cannot be reached
     * whose announce came from {@code relayTo} (null: one that can); false when a limit refused it.
     */
    boolean put(NodeId key, InetSocketAddress holder, long expiresAtMillis, InetSocketAddress relayTo) {
        InetAddress ip = holder.getAddress();
        KeyHolders holders = byKey.get(key);
        Record old = holders == null ? null : holders.records.get(holder);
        if (old != null) {
            holders.records.remove(holder);
            holders.records.put(holder, new Record(Math.max(old.expiresAtMillis, expiresAtMillis), relayTo));
            LinkedHashSet<Slot> slots = byIp.get(ip);
            Slot slot = new Slot(key, holder);
            slots.remove(slot);
            slots.add(slot);
            return true;
        }
        if (holders != null && !makeRoomInKey(holders, key, ip, expiresAtMillis)) {
            return false;
        }
        if (size >= maxRecords) {
            InetAddress yielding = totals.yieldingTo(ip);
            if (yielding == null) {
                return false;
            }
            Slot oldest = byIp.get(yielding).iterator().next();
            remove(oldest);
        }
        holders = byKey.computeIfAbsent(key, k -> new KeyHolders());
        holders.records.put(holder, new Record(expiresAtMillis, relayTo));
        holders.shares.add(ip);
        totals.add(ip);
        byIp.computeIfAbsent(ip, a -> new LinkedHashSet<>()).add(new Slot(key, holder));
        size++;
        return true;
    }

    /** Frees a slot of {@code key} for a record of {@code ip}, if the per-key limits allow one. */
    private boolean makeRoomInKey(KeyHolders holders, NodeId key, InetAddress ip, long expiresAtMillis) {
        InetAddress yielding;
        if (holders.shares.count(ip) >= maxPerKeyPerIp) {
            yielding = ip;
        } else if (holders.records.size() >= maxPerKey) {
            yielding = holders.shares.yieldingTo(ip);
        } else {
            return true;
        }
        if (yielding == null) {
            return false;
        }
        InetSocketAddress soonest = null;
        long soonestMillis = Long.MAX_VALUE;
        for (Map.Entry<InetSocketAddress, Record> e : holders.records.entrySet()) {
            if (e.getKey().getAddress().equals(yielding) && e.getValue().expiresAtMillis < soonestMillis) {
                soonest = e.getKey();
                soonestMillis = e.getValue().expiresAtMillis;
            }
        }
        if (yielding.equals(ip) && soonestMillis > expiresAtMillis) {
            return false;
        }
        remove(new Slot(key, soonest));
        return true;
    }

    /**
     * Up to {@code max} live holders of {@code key}, dealt round-robin over their IP addresses:
     * first the newest record of each IP (the IP announced most recently first), then each IP's
     * second newest, and so on.
     */
    List<InetSocketAddress> get(NodeId key, int max, long nowMillis) {
        return live(key, max, nowMillis, false);
    }

    /** {@link #get} for the holders that cannot be reached (announced with "unreachable"). */
    List<InetSocketAddress> relayed(NodeId key, int max, long nowMillis) {
        return live(key, max, nowMillis, true);
    }

    /**
     * The UDP address the announce of unreachable {@code holder} under {@code key} came from, while
     * its record lives; null when there is no such record.
     */
    InetSocketAddress relayOf(NodeId key, InetSocketAddress holder, long nowMillis) {
        KeyHolders holders = byKey.get(key);
        Record r = holders == null ? null : holders.records.get(holder);
        return r == null || r.expiresAtMillis <= nowMillis ? null : r.relayTo;
    }

    private List<InetSocketAddress> live(NodeId key, int max, long nowMillis, boolean relayed) {
        KeyHolders holders = byKey.get(key);
        if (holders == null) {
            return List.of();
        }
        List<InetSocketAddress> newestFirst = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Record> e : holders.records.entrySet()) {
            if (e.getValue().expiresAtMillis > nowMillis && (e.getValue().relayTo != null) == relayed) {
                newestFirst.add(e.getKey());
            }
        }
        Collections.reverse(newestFirst);
        return RoundRobin.byIp(newestFirst, InetSocketAddress::getAddress, max);
    }

    /** Drops every record whose expiry time is not after {@code nowMillis}. */
    void expire(long nowMillis) {
        List<Slot> expired = new ArrayList<>();
        for (Map.Entry<NodeId, KeyHolders> k : byKey.entrySet()) {
            for (Map.Entry<InetSocketAddress, Record> e : k.getValue().records.entrySet()) {
                if (e.getValue().expiresAtMillis <= nowMillis) {
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

    /** Records of {@code ip} over all keys. */
    int recordsOf(InetAddress ip) {
        return totals.count(ip);
    }

    private void remove(Slot slot) {
        KeyHolders holders = byKey.get(slot.key());
        holders.records.remove(slot.holder());
        InetAddress ip = slot.holder().getAddress();
        holders.shares.remove(ip);
        if (holders.records.isEmpty()) {
            byKey.remove(slot.key());
        }
        totals.remove(ip);
        LinkedHashSet<Slot> slots = byIp.get(ip);
        slots.remove(slot);
        if (slots.isEmpty()) {
            byIp.remove(ip);
        }
        size--;
    }
}
