package org.kadshare.storage;

/**
 * A snapshot of the hot-block cache for {@code status}: hits and misses since the store opened,
 * the bytes of verified leaves held now, and the bound on them.
 */
public record HotCacheStats(long hitCount, long missCount, long evictionCount, long weightBytes,
        long maximumWeightBytes) {
    /** Fraction of lookups that hit, or 1 when there were none (Caffeine's convention). */
    public double hitRate() {
        long requests = hitCount + missCount;
        return requests == 0 ? 1.0 : (double) hitCount / requests;
    }
}
