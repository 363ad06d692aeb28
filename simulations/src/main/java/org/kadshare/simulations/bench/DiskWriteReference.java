package org.kadshare.simulations.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * The sequential write rate of the disk under a directory: writes a new file of
 * {@code sizeBytes} in 1 MiB pieces, forces it to the device, and deletes it. The time includes
 * the force, so it is the device's rate, not the page cache's.
 */
final class DiskWriteReference {
    private static final int BUFFER_BYTES = 1 << 20;

    private DiskWriteReference() {
    }

    /** Writes and forces {@code sizeBytes} into a new file in {@code dir}; returns the nanoseconds taken. */
    static long writeNanos(Path dir, long sizeBytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        SplittableRandom random = new SplittableRandom(7);
        while (buffer.remaining() >= Long.BYTES) {
            buffer.putLong(random.nextLong());
        }
        Path file = dir.resolve("disk-reference.bin");
        try {
            long start = System.nanoTime();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                long written = 0;
                while (written < sizeBytes) {
                    buffer.clear().limit((int) Math.min(BUFFER_BYTES, sizeBytes - written));
                    while (buffer.hasRemaining()) {
                        written += channel.write(buffer);
                    }
                }
                channel.force(true);
            }
            return System.nanoTime() - start;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
