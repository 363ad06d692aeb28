package org.kadshare.storage;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Writes whole blocks of a file around the page cache ({@code O_DIRECT}), through an aligned
 * buffer of the writing thread's: a partial download's verified leaves go from the span's array
 * to the disk with one copy (into that buffer), where a buffered write costs the kernel a second
 * one into fresh page-cache pages (most of a getter's disk-thread CPU, docs/BENCHMARKS.md). What
 * is not a whole block (a file's last bytes) is left to the caller's buffered channel.
 *
 * <p>The buffers belong to the threads, not to the downloads, so their memory is bounded by the
 * few threads that write (a node's disk threads), not by how many downloads are open.
 *
 * <p>Not thread-safe: its owner writes under its own lock.
 */
final class UncachedWriter implements AutoCloseable {
    /** Bytes copied into the aligned buffer and written per system call. */
    static final int CHUNK_BYTES = 256 * 1024;
    /** The largest block size it aligns to. */
    static final int MAX_BLOCK_BYTES = 64 * 1024;

    /** Each writing thread's buffer, with room to align a chunk in it to any block size up to the largest. */
    private static final ThreadLocal<ByteBuffer> BUFFERS =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(CHUNK_BYTES + MAX_BLOCK_BYTES));

    private final FileChannel channel;
    private final int blockSize;

    private UncachedWriter(FileChannel channel, int blockSize) {
        this.channel = channel;
        this.blockSize = blockSize;
    }

    /**
     * One for the existing {@code file} at its file system's block size, or empty where direct
     * writes are not to be had: a file system or platform without them, or a block size that does
     * not divide {@code unitBytes} (every write position is a multiple of it).
     */
    static Optional<UncachedWriter> open(Path file, int unitBytes) {
        long blockSize;
        try {
            blockSize = Files.getFileStore(file).getBlockSize();
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
        return blockSize > 0 && blockSize <= MAX_BLOCK_BYTES ? open(file, (int) blockSize, unitBytes) : Optional.empty();
    }

    /** As {@link #open(Path, int)}, aligned to {@code blockSize}. */
    static Optional<UncachedWriter> open(Path file, int blockSize, int unitBytes) {
        if (blockSize <= 0 || blockSize > MAX_BLOCK_BYTES || unitBytes % blockSize != 0 || CHUNK_BYTES % blockSize != 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new UncachedWriter(
                    FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT), blockSize));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes the whole blocks at the start of the remaining bytes of {@code src} at
     * {@code position}, a multiple of the block size, and advances {@code src} past them.
     *
     * @return how many bytes it wrote: the remaining bytes rounded down to whole blocks
     * @throws IOException if a write failed; {@code src} is left where it was, and the bytes at
     *     the positions it covers are undefined until written again
     */
    int writeBlocks(ByteBuffer src, long position) throws IOException {
        if (position % blockSize != 0) {
            throw new IllegalArgumentException("position " + position + " is not a multiple of " + blockSize);
        }
        int whole = src.remaining() / blockSize * blockSize;
        if (whole == 0) {
            return 0;
        }
        ByteBuffer aligned = BUFFERS.get().clear().alignedSlice(blockSize).limit(CHUNK_BYTES).slice();
        int start = src.position();
        for (int done = 0; done < whole; ) {
            int n = Math.min(CHUNK_BYTES, whole - done);
            aligned.clear();
            aligned.put(src.duplicate().limit(start + done + n).position(start + done)).flip();
            while (aligned.hasRemaining()) {
                channel.write(aligned, position + done + aligned.position());
            }
            done += n;
        }
        src.position(start + whole);
        return whole;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
