package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The holder records of {@code announce_peer}: for each key, the addresses of nodes that serve
 * the content, each until its expiry time. Bounded three ways: keys in total, holders per key,
 * and records per peer IP address over all keys (one host cannot fill the store). When a key is
 * full the record closest to expiry gives way to the newcomer: fresh announcements are the most
 * likely to be live. A re-announcement refreshes a record and never shortens it.
 */
final class HolderStore {
    private static final class Record {
        final long expiresAtMillis;

        Record(long expiresAtMillis) {
            this.expiresAtMillis = expiresAtMillis;
        }
    }

    private final int maxPerKey;
    private final int maxKeys;
    private final int maxPerIp;
    private final TreeMap<NodeId, LinkedHashMap<InetSocketAddress, Record>> byKey = new TreeMap<>();
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    private int size;

    HolderStore(int maxPerKey, int maxKeys, int maxPerIp) {
        if (maxPerKey < 1 || maxKeys < 1 || maxPerIp < 1) {
            throw new IllegalArgumentException("holder store limits must be positive: perKey=" + maxPerKey
                    + " keys=" + maxKeys + " perIp=" + maxPerIp);
        }
        this.maxPerKey = maxPerKey;
        this.maxKeys = maxKeys;
        this.maxPerIp = maxPerIp;
    }

    /** Stores or refreshes {@code holder} under {@code key}; false when a limit refused it. */
    boolean put(NodeId key, InetSocketAddress holder, long expiresAtMillis) {
        LinkedHashMap<InetSocketAddress, Record> holders = byKey.get(key);
        Record old = holders == null ? null : holders.get(holder);
        if (old != null) {
            holders.remove(holder);
            holders.put(holder, new Record(Math.max(old.expiresAtMillis, expiresAtMillis)));
            return true;
        }
        if (perIp.getOrDefault(holder.getAddress(), 0) >= maxPerIp) {
            return false;
        }
        if (holders == null) {
            if (byKey.size() >= maxKeys) {
                return false;
            }
            holders = new LinkedHashMap<>();
            byKey.put(key, holders);
        }
        if (holders.size() >= maxPerKey) {
            InetSocketAddress soonest = null;
            long soonestMillis = Long.MAX_VALUE;
            for (Map.Entry<InetSocketAddress, Record> e : holders.entrySet()) {
                if (e.getValue().expiresAtMillis < soonestMillis) {
                    soonest = e.getKey();
                    soonestMillis = e.getValue().expiresAtMillis;
                }
            }
            if (soonestMillis > expiresAtMillis) {
                return false;
            }
            holders.remove(soonest);
            forget(soonest);
        }
        holders.put(holder, new Record(expiresAtMillis));
        perIp.merge(holder.getAddress(), 1, Integer::sum);
        size++;
        return true;
    }

    /** Up to {@code max} live holders of {@code key}, most recently announced first. */
    List<InetSocketAddress> get(NodeId key, int max, long nowMillis) {
        LinkedHashMap<InetSocketAddress, Record> holders = byKey.get(key);
        if (holders == null) {
            return List.of();
        }
        List<InetSocketAddress> live = new ArrayList<>();
        for (Map.Entry<InetSocketAddress, Record> e : holders.entrySet()) {
            if (e.getValue().expiresAtMillis > nowMillis) {
                live.add(e.getKey());
            }
        }
        Collections.reverse(live);
        return live.size() <= max ? live : List.copyOf(live.subList(0, max));
    }

    /** Drops every record whose expiry time is not after {@code nowMillis}. */
    void expire(long nowMillis) {
        Iterator<LinkedHashMap<InetSocketAddress, Record>> keys = byKey.values().iterator();
        while (keys.hasNext()) {
            LinkedHashMap<InetSocketAddress, Record> holders = keys.next();
            Iterator<Map.Entry<InetSocketAddress, Record>> it = holders.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<InetSocketAddress, Record> e = it.next();
                if (e.getValue().expiresAtMillis <= nowMillis) {
                    it.remove();
                    forget(e.getKey());
                }
            }
            if (holders.isEmpty()) {
                keys.remove();
            }
        }
    }

    int size() {
        return size;
    }

    int keyCount() {
        return byKey.size();
    }

    private void forget(InetSocketAddress holder) {
        size--;
        perIp.computeIfPresent(holder.getAddress(), (ip, n) -> n == 1 ? null : n - 1);
    }
}
