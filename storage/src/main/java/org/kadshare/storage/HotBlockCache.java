package org.kadshare.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.util.Arrays;

/**
 * Verified leaves that were read recently, so hot content is served without touching the disk.
 * Caffeine's default W-TinyLFU policy keeps the frequently read leaves rather than merely the
 * latest ones; entries are weighed by their byte length and the total is bounded by
 * {@link StoreConfig#cacheSizeBytes()}. Only the store puts leaves in, and only after their hash
 * matched the stored leaf layer; a caller gets a copy so a cached leaf can never be altered.
 */
final class HotBlockCache {
    private final Cache<Key, byte[]> cache;
    private final long maximumWeightBytes;

    HotBlockCache(long maximumWeightBytes) {
        if (maximumWeightBytes < 0) {
            throw new IllegalArgumentException("cache size is negative: " + maximumWeightBytes);
        }
        this.maximumWeightBytes = maximumWeightBytes;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maximumWeightBytes)
                .weigher((Key key, byte[] leaf) -> leaf.length)
                .executor(Runnable::run)
                .recordStats()
                .build();
    }

    /** A copy of the cached verified leaf, or null. */
    byte[] get(ContentId id, long leafIndex) {
        byte[] leaf = cache.getIfPresent(new Key(id, leafIndex));
        return leaf == null ? null : leaf.clone();
    }

    /** Caches a copy of the leaf at {@code data[from, from + length)}, whose hash the caller has just verified. */
    void putVerified(ContentId id, long leafIndex, byte[] data, int from, int length) {
        cache.put(new Key(id, leafIndex), Arrays.copyOfRange(data, from, from + length));
    }

    /** Drops every leaf of {@code id}. */
    void invalidate(ContentId id) {
        cache.asMap().keySet().removeIf(key -> key.id().equals(id));
    }

    HotCacheStats stats() {
        CacheStats stats = cache.stats();
        long weight = cache.policy().eviction().map(e -> e.weightedSize().orElse(0L)).orElse(0L);
        return new HotCacheStats(stats.hitCount(), stats.missCount(), stats.evictionCount(), weight,
                maximumWeightBytes);
    }

    /** Applies pending evictions now (for tests and status). */
    void cleanUp() {
        cache.cleanUp();
    }

    private record Key(ContentId id, long leafIndex) {
    }

    @Override
    public String toString() {
        return "HotBlockCache" + stats();
    }
}
