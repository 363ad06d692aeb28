package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Paces this node's own queries to each peer so that a busy node stays under the per-source rate
 * limit peers apply ({@link RateLimiter}: a query over it is dropped unanswered, which looks like
 * a dead peer). Each peer address gets a burst of {@code burst} queries and then one every
 * {@code 1000 / perSecond} ms: a query that would go over is delayed until its turn, never
 * dropped, unless its turn is more than {@code maxDelayMillis} away; then it is refused, and the
 * caller treats it as unanswered without blaming the peer.
 *
 * <p>Design note. The generic cell rate algorithm (ATM's GCRA, the virtual-scheduling form of a
 * token bucket): one "theoretical arrival time" per peer says when the bucket is next full; a
 * query may go at {@code max(now, tat - tolerance)} and moves tat one interval later. Times are in
 * microseconds so 1000 / perSecond needs no rounding for the usual rates. At most
 * {@code maxPeers} peers are tracked, the least recently used forgotten first (it then starts
 * with a full burst: a peer we stopped querying long ago has refilled anyway).
 */
final class QueryPacer {
    private static final long MICROS_PER_MILLI = 1000;

    private final long intervalMicros;
    private final long toleranceMicros;
    private final long maxDelayMicros;
    private final int maxPeers;
    private final LinkedHashMap<InetSocketAddress, Long> theoreticalArrival;

    QueryPacer(int perSecond, int burst, long maxDelayMillis, int maxPeers) {
        if (perSecond < 1 || burst < 1 || maxDelayMillis < 0 || maxPeers < 1) {
            throw new IllegalArgumentException("query pacer needs positive perSecond, burst, maxPeers and a"
                    + " non-negative delay: " + perSecond + ", " + burst + ", " + maxDelayMillis + ", " + maxPeers);
        }
        this.intervalMicros = 1_000_000L / perSecond;
        this.toleranceMicros = (burst - 1) * intervalMicros;
        this.maxDelayMicros = maxDelayMillis * MICROS_PER_MILLI;
        this.maxPeers = maxPeers;
        this.theoreticalArrival = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Long> eldest) {
                return size() > QueryPacer.this.maxPeers;
            }
        };
    }

    /**
     * Books the next query to {@code peer}: the milliseconds to wait before sending it (0: now),
     * or -1 when it would have to wait longer than the maximum delay (nothing is booked then).
     */
    long delayMillis(InetSocketAddress peer, long nowMillis) {
        long now = nowMillis * MICROS_PER_MILLI;
        long tat = Math.max(now, theoreticalArrival.getOrDefault(peer, now));
        long sendAt = Math.max(now, tat - toleranceMicros);
        if (sendAt - now > maxDelayMicros) {
            return -1;
        }
        theoreticalArrival.put(peer, tat + intervalMicros);
        return (sendAt - now + MICROS_PER_MILLI - 1) / MICROS_PER_MILLI;
    }

    int trackedPeers() {
        return theoreticalArrival.size();
    }
}
