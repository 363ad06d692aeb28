package org.kadshare.overlay.transfer.wire;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.kadshare.storage.MerkleTree;

/**
 * The arrays that SPAN frames are decoded into, kept for the next frame once a download has
 * written a span's bytes ({@link Span#recycle}). Without it every span of a download was a fresh
 * array: a 512 MiB get allocated 512 MiB of them, and those waiting for the disk when a young
 * collection came were promoted, so the old generation filled with dead spans and full
 * collections paused the download (100 to 500 ms each, several per get, with the 256 MiB heap a
 * node runs in).
 *
 * <p>Bounded: at most {@link #MAX_POOLED_BYTES} are kept; an array given back beyond that is left
 * to the collector. Only whole spans (a power of two leaves, up to {@link Limits#MAX_SPAN_BYTES})
 * are kept, since only those lengths come again; a file's short last span is a fresh array.
 * Thread-safe: the decoder takes on an event loop, a download gives back on a disk thread.
 */
public final class SpanArrays {
    /** Bytes of free arrays kept at most. */
    public static final long MAX_POOLED_BYTES = 32L << 20;
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;
    private static final int CLASSES = Integer.numberOfTrailingZeros(Limits.MAX_SPAN_BYTES / L) + 1;
    private static final SpanArrays SHARED = new SpanArrays(MAX_POOLED_BYTES);

    private final long maxPooledBytes;
    private final AtomicLong pooledBytes = new AtomicLong();
    private final ConcurrentLinkedQueue<byte[]>[] free;

    @SuppressWarnings("unchecked")
    SpanArrays(long maxPooledBytes) {
        this.maxPooledBytes = maxPooledBytes;
        this.free = new ConcurrentLinkedQueue[CLASSES];
        for (int i = 0; i < CLASSES; i++) {
            free[i] = new ConcurrentLinkedQueue<>();
        }
    }

    /** The pool of this process's block-transfer clients. */
    public static SpanArrays shared() {
        return SHARED;
    }

    /** An array of exactly {@code length} bytes, a kept one if there is one; its content is stale. */
    byte[] take(int length) {
        int c = sizeClass(length);
        if (c >= 0) {
            byte[] kept = free[c].poll();
            if (kept != null) {
                pooledBytes.addAndGet(-length);
                return kept;
            }
        }
        return new byte[length];
    }

    /** Keeps {@code array} for a later span of its length, unless the pool is full or the length never comes again. */
    void giveBack(byte[] array) {
        int c = sizeClass(array.length);
        if (c < 0) {
            return;
        }
        if (pooledBytes.addAndGet(array.length) > maxPooledBytes) {
            pooledBytes.addAndGet(-array.length);
            return;
        }
        free[c].offer(array);
    }

    /** Bytes of free arrays kept now. */
    long pooledBytes() {
        return pooledBytes.get();
    }

    private static int sizeClass(int length) {
        if (length < L || length > Limits.MAX_SPAN_BYTES || length % L != 0 || Integer.bitCount(length / L) != 1) {
            return -1;
        }
        return Integer.numberOfTrailingZeros(length / L);
    }
}
