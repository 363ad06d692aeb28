package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The holders this node's own lookups found lately, per key, so that the next find of the same key
 * (a {@code get} right after {@code providers} or a search, a second get of a file) hands them over
 * at once instead of a round trip later. The find still runs and reports what it learns; what is
 * kept is only what the latest lookup of a key found itself, never what came from here, so a holder
 * that left drops out with the next lookup. Bounded: {@link #MAX_KEYS} keys (the oldest is dropped),
 * at most {@code maxPerKey} holders each, kept for {@link #FRESH_MILLIS}.
 */
final class RecentHolders {
    static final int MAX_KEYS = 64;
    static final long FRESH_MILLIS = 120_000;

    private record Found(List<InetSocketAddress> holders, long atMillis) {
    }

    private final int maxPerKey;
    /** In the order of the lookups' ends, oldest first. */
    private final Map<NodeId, Found> byKey = new LinkedHashMap<>();

    RecentHolders(int maxPerKey) {
        if (maxPerKey < 1) {
            throw new IllegalArgumentException("maxPerKey must be at least 1");
        }
        this.maxPerKey = maxPerKey;
    }

    /** A lookup of {@code key} ended at {@code nowMillis} having found {@code holders} (none: forgets the key). */
    void found(NodeId key, List<InetSocketAddress> holders, long nowMillis) {
        byKey.remove(key);
        if (holders.isEmpty()) {
            return;
        }
        List<InetSocketAddress> kept = new ArrayList<>(holders.subList(0, Math.min(holders.size(), maxPerKey)));
        byKey.put(key, new Found(List.copyOf(kept), nowMillis));
        Iterator<NodeId> oldest = byKey.keySet().iterator();
        while (byKey.size() > MAX_KEYS) {
            oldest.next();
            oldest.remove();
        }
    }

    /** The holders of {@code key} a lookup found within {@link #FRESH_MILLIS} before {@code nowMillis}, or none. */
    List<InetSocketAddress> fresh(NodeId key, long nowMillis) {
        Found f = byKey.get(key);
        if (f == null) {
            return List.of();
        }
        if (nowMillis - f.atMillis() > FRESH_MILLIS) {
            byKey.remove(key);
            return List.of();
        }
        return f.holders();
    }

    /** Keys kept now. */
    int size() {
        return byKey.size();
    }
}
