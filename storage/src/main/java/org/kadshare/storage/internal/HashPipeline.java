package org.kadshare.storage.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.kadshare.storage.LeafHashSink;

/**
 * The streaming, parallel Merkle hasher behind {@code ContentHasher}. Not API.
 *
 * <p>Design: the file is cut into aligned chunks of 64 leaves (1 MiB). A task hashes one chunk:
 * it reads the chunk with a positional read into a pooled direct buffer, computes the 64 leaf
 * hashes and the root of that aligned height-6 subtree (pad leaves on the right of the last
 * chunk). Chunks are submitted to the pool in a sliding window of {@code 2 * threads} tasks and
 * their results consumed strictly in order by the calling thread, which hands the leaf hashes to
 * the sink and folds the chunk roots with a {@link SubtreeReducer}. So memory is bounded by the
 * window (about {@code 2 * threads} MiB of buffers) whatever the file size, all cores hash, and
 * the result does not depend on the thread count: every thread count computes the same nodes.
 * Files of at most 64 leaves are a single chunk whose root is the tree's root.
 * With one thread there is no pool: chunks are hashed in the calling thread.
 */
public final class HashPipeline {
    /** Height of the subtree one task hashes: 2^6 = 64 leaves = 1 MiB. */
    public static final int CHUNK_HEIGHT = 6;
    /** Bytes one task reads. */
    public static final int CHUNK_BYTES = NodeHashing.LEAF_SIZE_BYTES << CHUNK_HEIGHT;

    private static final int H = NodeHashing.HASH_LENGTH_BYTES;
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(NodeHashing::newDigest);

    private final ExecutorService pool;
    private final int maxInFlight;
    private final BlockingQueue<ByteBuffer> buffers;

    /**
     * A pipeline hashing on {@code pool} with at most {@code maxInFlight} chunks in flight per
     * call; with a null pool it hashes in the calling thread.
     */
    public HashPipeline(ExecutorService pool, int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("at least one chunk must be in flight, got " + maxInFlight);
        }
        this.pool = pool;
        this.maxInFlight = pool == null ? 1 : maxInFlight;
        this.buffers = new ArrayBlockingQueue<>(this.maxInFlight);
    }

    /**
     * Hashes bytes {@code [0, lengthBytes)} of {@code source}, feeding every leaf hash to
     * {@code sink} in order, and returns the 32 bytes of the content ID.
     */
    public byte[] run(ChunkSource source, long lengthBytes, LeafHashSink sink) throws IOException {
        long leafCount = NodeHashing.leafCount(lengthBytes);
        int treeHeight = NodeHashing.treeHeight(lengthBytes);
        int chunkHeight = Math.min(CHUNK_HEIGHT, treeHeight);
        long chunkCount = ((leafCount - 1) >>> chunkHeight) + 1;
        MessageDigest md = NodeHashing.newDigest();
        SubtreeReducer reducer = new SubtreeReducer(md, chunkHeight);
        Job job = new Job(source, lengthBytes, leafCount, chunkHeight);
        if (pool == null) {
            ByteBuffer scratch = source.needsScratch() ? borrowBuffer() : null;
            for (long k = 0; k < chunkCount; k++) {
                deliver(job.hashChunk(k, scratch), sink, reducer);
            }
            releaseBuffer(scratch);
        } else {
            runInPool(job, chunkCount, sink, reducer);
        }
        return NodeHashing.idHash(md, lengthBytes, reducer.root(treeHeight));
    }

    private void runInPool(Job job, long chunkCount, LeafHashSink sink, SubtreeReducer reducer)
            throws IOException {
        ArrayDeque<Future<ChunkResult>> window = new ArrayDeque<>(maxInFlight);
        long next = 0;
        try {
            while (next < chunkCount && window.size() < maxInFlight) {
                window.add(submit(job, next++));
            }
            while (!window.isEmpty()) {
                ChunkResult result = await(window.poll());
                deliver(result, sink, reducer);
                releaseBuffer(result.scratch);
                if (next < chunkCount) {
                    window.add(submit(job, next++));
                }
            }
        } finally {
            // Never interrupt: an interrupted FileChannel read closes the caller's channel.
            // Buffers of abandoned tasks are left to the GC, since a running task may still use them.
            for (Future<ChunkResult> f : window) {
                f.cancel(false);
            }
        }
    }

    private Future<ChunkResult> submit(Job job, long chunkIndex) {
        ByteBuffer scratch = job.source.needsScratch() ? borrowBuffer() : null;
        return pool.submit(() -> job.hashChunk(chunkIndex, scratch));
    }

    private static ChunkResult await(Future<ChunkResult> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (CancellationException e) {
            throw new IllegalStateException("a hashing task was cancelled: the hasher was closed during a call", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            } else if (cause instanceof UncheckedIOException uio) {
                throw uio.getCause();
            } else if (cause instanceof RuntimeException re) {
                throw re;
            } else if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a hashing task failed", cause);
        }
    }

    private static void deliver(ChunkResult result, LeafHashSink sink, SubtreeReducer reducer) throws IOException {
        for (int i = 0; i < result.leafCount; i++) {
            sink.accept(result.firstLeaf + i, Arrays.copyOfRange(result.leafHashes, i * H, (i + 1) * H));
        }
        reducer.push(result.root, 0);
    }

    private ByteBuffer borrowBuffer() {
        ByteBuffer b = buffers.poll();
        return b != null ? b : ByteBuffer.allocateDirect(CHUNK_BYTES);
    }

    private void releaseBuffer(ByteBuffer b) {
        if (b != null) {
            buffers.offer(b);
        }
    }

    private static final class ChunkResult {
        final long firstLeaf;
        final int leafCount;
        final byte[] leafHashes;
        final byte[] root = new byte[H];
        final ByteBuffer scratch;

        ChunkResult(long firstLeaf, int leafCount, ByteBuffer scratch) {
            this.firstLeaf = firstLeaf;
            this.leafCount = leafCount;
            this.leafHashes = new byte[leafCount * H];
            this.scratch = scratch;
        }
    }

    private static final class Job {
        final ChunkSource source;
        final long lengthBytes;
        final long leafCount;
        final int chunkHeight;

        Job(ChunkSource source, long lengthBytes, long leafCount, int chunkHeight) {
            this.source = source;
            this.lengthBytes = lengthBytes;
            this.leafCount = leafCount;
            this.chunkHeight = chunkHeight;
        }

        ChunkResult hashChunk(long chunkIndex, ByteBuffer scratch) throws IOException {
            long firstLeaf = chunkIndex << chunkHeight;
            int leaves = (int) Math.min(1L << chunkHeight, leafCount - firstLeaf);
            long offset = firstLeaf * NodeHashing.LEAF_SIZE_BYTES;
            int length = (int) Math.min((long) leaves * NodeHashing.LEAF_SIZE_BYTES, lengthBytes - offset);
            ByteBuffer bytes = source.read(offset, length, scratch);
            MessageDigest md = DIGEST.get();
            ChunkResult result = new ChunkResult(firstLeaf, leaves, scratch);
            int start = bytes.position();
            for (int i = 0; i < leaves; i++) {
                int leafStart = start + i * NodeHashing.LEAF_SIZE_BYTES;
                bytes.limit(Math.min(leafStart + NodeHashing.LEAF_SIZE_BYTES, start + length)).position(leafStart);
                NodeHashing.leafHash(md, bytes, result.leafHashes, i * H);
            }
            NodeHashing.subtreeRoot(md, result.leafHashes.clone(), leaves, chunkHeight, result.root, 0);
            return result;
        }
    }
}
