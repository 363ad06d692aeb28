package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Per-source-IP token buckets for incoming queries. Each source may send {@code burst} queries at
 * once and {@code perSecond} queries per second on average. At most {@code maxSources} buckets are
 * kept; when a new source arrives at a full map, the least recently active source is forgotten
 * (it starts again with a full bucket, a bounded concession: an attacker needs more than
 * {@code maxSources} addresses to profit from it). Tokens are counted in thousandths so the
 * refill is exact integer arithmetic on the caller's clock.
 */
final class RateLimiter {
    private static final long MILLI_TOKENS = 1000;

    private static final class Bucket {
        long milliTokens;
        long updatedMillis;
    }

    private final long perSecond;
    private final long burst;
    private final int maxSources;
    private final LinkedHashMap<InetAddress, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

    RateLimiter(int perSecond, int burst, int maxSources) {
        if (perSecond < 1 || burst < 1 || maxSources < 1) {
            throw new IllegalArgumentException("rate limiter needs positive perSecond, burst, maxSources: "
                    + perSecond + ", " + burst + ", " + maxSources);
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxSources = maxSources;
    }

    /** Takes one token from {@code source}'s bucket; false means the query must be dropped. */
    boolean tryAcquire(InetAddress source, long nowMillis) {
        Bucket b = buckets.get(source);
        if (b == null) {
            if (buckets.size() >= maxSources) {
                Iterator<InetAddress> eldest = buckets.keySet().iterator();
                eldest.next();
                eldest.remove();
            }
            b = new Bucket();
            b.milliTokens = burst * MILLI_TOKENS;
            b.updatedMillis = nowMillis;
            buckets.put(source, b);
        }
        long elapsed = Math.max(0, nowMillis - b.updatedMillis);
        b.updatedMillis = nowMillis;
        long refill = elapsed >= Long.MAX_VALUE / perSecond ? Long.MAX_VALUE : elapsed * perSecond;
        b.milliTokens = Math.min(burst * MILLI_TOKENS, saturatedAdd(b.milliTokens, refill));
        if (b.milliTokens < MILLI_TOKENS) {
            return false;
        }
        b.milliTokens -= MILLI_TOKENS;
        return true;
    }

    int trackedSources() {
        return buckets.size();
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }
}
