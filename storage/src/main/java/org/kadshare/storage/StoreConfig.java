package org.kadshare.storage;

/**
 * Settings of a {@link BlockStore}.
 *
 * @param cacheSizeBytes bound on the verified leaf bytes held by the hot-block cache
 * @param maxSpanBytes largest span the store reads or accepts in one call; a peer asking for more
 *     is refused, so no request makes the store buffer more than this
 * @param stateFlushEverySpans how many accepted spans a partial download may hold in memory only
 *     before it rewrites its state record by itself (1 = after every span); a crash loses at most
 *     these, which are then downloaded again. 0 (the default): only when its user asks
 *     ({@link PartialDownload#saveStateIfUnsaved}), on close and on completion; the downloader
 *     asks by a rule of time and bytes of its own, and each save forces the data file
 * @param reverifyAfterMillis how long a leaf of a complete file, once hashed, is served without
 *     being hashed again while the file shows no change (its leaves are then hashed on their next
 *     read); 0 hashes every leaf on every read
 * @param rereadOnComplete whether {@link PartialDownload#complete} reads and hashes the whole file
 *     once more; without it the leaves, each verified before it was written, and a force of the
 *     file are the proof (the leaf layer they were checked against hashes to the ID)
 * @param directWrites whether a partial download writes the whole blocks of its verified leaves
 *     around the page cache ({@code O_DIRECT}, where the file system takes it): one copy instead of
 *     two, measured on an SSD-backed virtual disk; off, every write goes through the page cache
 */
public record StoreConfig(long cacheSizeBytes, int maxSpanBytes, int stateFlushEverySpans, long reverifyAfterMillis,
        boolean rereadOnComplete, boolean directWrites) {
    /** Default hot-block cache bound: 64 MiB. */
    public static final long DEFAULT_CACHE_SIZE_BYTES = 64L << 20;
    /** Default largest span: 4 MiB (256 leaves). */
    public static final int DEFAULT_MAX_SPAN_BYTES = 4 << 20;
    /** Default state flush interval: none by count (the downloader asks by time and bytes). */
    public static final int DEFAULT_STATE_FLUSH_EVERY_SPANS = 0;
    /** Default time a hashed leaf is trusted: one hour. */
    public static final long DEFAULT_REVERIFY_AFTER_MILLIS = 60 * 60 * 1000L;

    /** Validates the settings. */
    public StoreConfig {
        if (cacheSizeBytes < 0) {
            throw new IllegalArgumentException("cacheSizeBytes is negative: " + cacheSizeBytes);
        }
        if (maxSpanBytes < 16 * 1024) {
            throw new IllegalArgumentException("maxSpanBytes must hold at least one 16 KiB leaf, got " + maxSpanBytes);
        }
        if (stateFlushEverySpans < 0) {
            throw new IllegalArgumentException("stateFlushEverySpans is negative: " + stateFlushEverySpans);
        }
        if (reverifyAfterMillis < 0) {
            throw new IllegalArgumentException("reverifyAfterMillis is negative: " + reverifyAfterMillis);
        }
    }

    /** The defaults. */
    public static StoreConfig defaults() {
        return new StoreConfig(DEFAULT_CACHE_SIZE_BYTES, DEFAULT_MAX_SPAN_BYTES, DEFAULT_STATE_FLUSH_EVERY_SPANS,
                DEFAULT_REVERIFY_AFTER_MILLIS, false, true);
    }

    /** These settings with another cache bound. */
    public StoreConfig withCacheSizeBytes(long bytes) {
        return new StoreConfig(bytes, maxSpanBytes, stateFlushEverySpans, reverifyAfterMillis, rereadOnComplete, directWrites);
    }

    /** These settings with another state flush interval. */
    public StoreConfig withStateFlushEverySpans(int spans) {
        return new StoreConfig(cacheSizeBytes, maxSpanBytes, spans, reverifyAfterMillis, rereadOnComplete, directWrites);
    }

    /** These settings with another trust lifetime for hashed leaves. */
    public StoreConfig withReverifyAfterMillis(long millis) {
        return new StoreConfig(cacheSizeBytes, maxSpanBytes, stateFlushEverySpans, millis, rereadOnComplete, directWrites);
    }

    /** These settings with the whole-file re-read on completion on or off. */
    public StoreConfig withRereadOnComplete(boolean reread) {
        return new StoreConfig(cacheSizeBytes, maxSpanBytes, stateFlushEverySpans, reverifyAfterMillis, reread, directWrites);
    }

    /** These settings with the writes around the page cache on or off. */
    public StoreConfig withDirectWrites(boolean direct) {
        return new StoreConfig(cacheSizeBytes, maxSpanBytes, stateFlushEverySpans, reverifyAfterMillis, rereadOnComplete,
                direct);
    }
}
