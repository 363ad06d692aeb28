package org.kadshare.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.kadshare.storage.internal.ChunkSource;
import org.kadshare.storage.internal.HashPipeline;

/**
 * Computes content IDs and Merkle trees of files and in-memory data (docs/PROTOCOL.md,
 * section 1), streaming and on all cores.
 *
 * <p>A file is never read whole: it is hashed in aligned 1 MiB chunks by a bounded pool of
 * {@code threads} daemon threads with at most {@code 2 * threads} chunks in flight, so memory is
 * constant (about {@code 2 * threads} MiB of reused direct buffers) whatever the file size;
 * {@link #hash(Path)} additionally keeps the tree (64 bytes per 16 KiB leaf), while
 * {@link #hash(Path, LeafHashSink)} streams the leaf layer out and keeps nothing. The ID is the
 * same for every thread count. With one thread, hashing runs in the calling thread and no pool
 * is started.
 *
 * <p>Thread-safe: several threads may hash at once and share the pool. Close the hasher to stop
 * its threads; it cannot be used afterwards.
 */
public final class ContentHasher implements AutoCloseable {
    private final int threads;
    private final ExecutorService pool;
    private final HashPipeline pipeline;

    /** A hasher with one thread per available processor. */
    public ContentHasher() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** A hasher with {@code threads} hashing threads (at least 1). */
    public ContentHasher(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a hasher needs at least one thread, got " + threads);
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new DaemonThreads());
        this.pipeline = new HashPipeline(pool, 2 * threads);
    }

    /** Number of hashing threads. */
    public int threads() {
        return threads;
    }

    /**
     * Hashes the file at {@code file} (its bytes at the time it is opened) and returns its tree,
     * which holds the content ID, the length and every leaf hash.
     *
     * @throws IOException if the file is missing, unreadable, a directory, or shrinks while it is
     *                     read (the usual {@link java.nio.file.NoSuchFileException},
     *                     {@link java.nio.file.AccessDeniedException}, ... so that callers can map them)
     */
    public MerkleTree hash(Path file) throws IOException {
        checkOpen();
        try (FileChannel channel = open(file)) {
            long lengthBytes = channel.size();
            MerkleTree.Builder builder = MerkleTree.builder(lengthBytes);
            byte[] id = pipeline.run(ChunkSource.of(channel), lengthBytes, builder);
            return checked(builder.build(), id);
        }
    }

    /**
     * Hashes the file at {@code file}, handing each leaf hash to {@code sink} in order from the
     * calling thread, and returns the ID and the length hashed. Memory stays constant.
     *
     * @throws IOException as {@link #hash(Path)}, or whatever {@code sink} throws
     */
    public ContentDigest hash(Path file, LeafHashSink sink) throws IOException {
        checkOpen();
        Objects.requireNonNull(sink, "sink");
        try (FileChannel channel = open(file)) {
            long lengthBytes = channel.size();
            byte[] id = pipeline.run(ChunkSource.of(channel), lengthBytes, sink);
            return new ContentDigest(ContentId.of(id), lengthBytes);
        }
    }

    /** Hashes the remaining bytes of {@code data} (its position is left alone) and returns its tree. */
    public MerkleTree hash(ByteBuffer data) {
        checkOpen();
        Objects.requireNonNull(data, "data");
        MerkleTree.Builder builder = MerkleTree.builder(data.remaining());
        try {
            byte[] id = pipeline.run(ChunkSource.of(data), data.remaining(), builder);
            return checked(builder.build(), id);
        } catch (IOException e) {
            throw new UncheckedIOException("hashing data in memory cannot do I/O, yet it failed", e);
        }
    }

    /** Hashes {@code data} and returns its tree. */
    public MerkleTree hash(byte[] data) {
        return hash(ByteBuffer.wrap(Objects.requireNonNull(data, "data")));
    }

    /** Stops the hashing threads; calls in progress fail. */
    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private void checkOpen() {
        if (pool != null && pool.isShutdown()) {
            throw new IllegalStateException("this content hasher is closed");
        }
    }

    private static FileChannel open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory, not a file to hash");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private static MerkleTree checked(MerkleTree tree, byte[] streamedId) {
        if (!tree.contentId().equals(ContentId.of(streamedId))) {
            throw new IllegalStateException("the tree built from the leaf hashes disagrees with the streamed"
                    + " content ID " + ContentId.of(streamedId) + ": a hashing bug");
        }
        return tree;
    }

    private static final class DaemonThreads implements ThreadFactory {
        private static final AtomicInteger HASHERS = new AtomicInteger();
        private final int hasher = HASHERS.incrementAndGet();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "kadshare-hasher-" + hasher + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
