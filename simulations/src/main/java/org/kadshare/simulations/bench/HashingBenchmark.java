package org.kadshare.simulations.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.SplittableRandom;
import org.kadshare.storage.ContentHasher;

/**
 * Measures content-ID hashing against the JDK's plain single-stream SHA-256 of the same file, in
 * the same run, alternating, so that a noisy machine affects both alike. The reference reads the
 * file with the same positional {@link FileChannel} reads into a 1 MiB direct buffer and feeds a
 * {@link MessageDigest}; ours is {@link ContentHasher#hash(Path)} (ID plus the whole tree) with one
 * thread and with {@code --threads}. Prints MiB/s per round, medians, and ours/plain ratios.
 *
 * <p>Run: {@code mvn -B -q -pl simulations -am package -DskipTests && java -cp
 * simulations/target/kadshare-simulations.jar org.kadshare.simulations.bench.HashingBenchmark
 * --size 1g}. Flags: {@code --size N[k|m|g]} (default 1g) size of the random file to create,
 * {@code --file PATH} hash an existing file instead (not deleted), {@code --rounds N} (default
 * 3), {@code --threads N} (default: available processors). A created file is deleted at the end.
 */
public final class HashingBenchmark {
    private static final int BUFFER_BYTES = 1 << 20;
    private static final double MIB = 1024.0 * 1024.0;

    private final Path file;
    private final int rounds;
    private final int threads;

    private HashingBenchmark(Path file, int rounds, int threads) {
        this.file = file;
        this.rounds = rounds;
        this.threads = threads;
    }

    public static void main(String[] args) throws IOException {
        long sizeBytes = 1L << 30;
        Path given = null;
        int rounds = 3;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                System.out.println("usage: HashingBenchmark [--size N[k|m|g]] [--file PATH] [--rounds N] [--threads N]");
                return;
            }
            if (i + 1 >= args.length) {
                fail("flag " + flag + " needs a value");
            }
            String value = args[++i];
            try {
                switch (flag) {
                    case "--size" -> sizeBytes = BenchArgs.parseSize(flag, value);
                    case "--file" -> given = Path.of(value);
                    case "--rounds" -> rounds = BenchArgs.parseCount(flag, value, 1);
                    case "--threads" -> threads = BenchArgs.parseCount(flag, value, 1);
                    default -> fail("unknown flag " + flag + " (try --help)");
                }
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            }
        }
        Path file = given;
        Path tempDir = null;
        try {
            if (file == null) {
                tempDir = Files.createTempDirectory("kadshare-hashing-bench");
                file = tempDir.resolve("random.bin");
                writeRandomFile(file, sizeBytes);
            }
            new HashingBenchmark(file, rounds, threads).run();
        } finally {
            if (tempDir != null) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(tempDir);
            }
        }
    }

    private void run() throws IOException {
        long sizeBytes = Files.size(file);
        System.out.printf(Locale.ROOT, "file: %d bytes (%.1f MiB), %d rounds, %d cores, ours with 1 and %d threads%n",
                sizeBytes, sizeBytes / MIB, rounds, Runtime.getRuntime().availableProcessors(), threads);
        try (ContentHasher one = new ContentHasher(1); ContentHasher many = new ContentHasher(threads)) {
            System.out.println("warm-up (page cache and JIT), not counted");
            plainSha256();
            one.hash(file);
            many.hash(file);
            double[] plain = new double[rounds];
            double[] ours1 = new double[rounds];
            double[] oursN = new double[rounds];
            String id = null;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                plainSha256();
                long t1 = System.nanoTime();
                String id1 = one.hash(file).contentId().toHex();
                long t2 = System.nanoTime();
                String idN = many.hash(file).contentId().toHex();
                long t3 = System.nanoTime();
                if (!id1.equals(idN) || (id != null && !id.equals(id1))) {
                    throw new IllegalStateException("content IDs differ between runs: " + id + ", " + id1 + ", " + idN);
                }
                id = id1;
                plain[r] = mibPerSecond(sizeBytes, t1 - t0);
                ours1[r] = mibPerSecond(sizeBytes, t2 - t1);
                oursN[r] = mibPerSecond(sizeBytes, t3 - t2);
                System.out.printf(Locale.ROOT, "round %d: plain SHA-256 %8.1f MiB/s | ours 1 thread %8.1f MiB/s | ours %d threads %8.1f MiB/s%n",
                        r + 1, plain[r], ours1[r], threads, oursN[r]);
            }
            double p = BenchArgs.median(plain);
            double o1 = BenchArgs.median(ours1);
            double on = BenchArgs.median(oursN);
            System.out.printf(Locale.ROOT, "median:  plain SHA-256 %8.1f MiB/s | ours 1 thread %8.1f MiB/s | ours %d threads %8.1f MiB/s%n",
                    p, o1, threads, on);
            System.out.printf(Locale.ROOT, "ratio ours/plain: 1 thread %.2f, %d threads %.2f%n", o1 / p, threads, on / p);
            System.out.println("content id: " + id);
        }
    }

    private byte[] plainSha256() throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long position = 0;
            while (position < size) {
                buffer.clear();
                int read = channel.read(buffer, position);
                if (read < 0) {
                    throw new IOException("file ended at byte " + position + " of " + size);
                }
                position += read;
                md.update(buffer.flip());
            }
        }
        return md.digest();
    }

    private static void writeRandomFile(Path file, long sizeBytes) throws IOException {
        SplittableRandom random = new SplittableRandom(0x6b616473L);
        byte[] chunk = new byte[BUFFER_BYTES];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long written = 0;
            while (written < sizeBytes) {
                int n = (int) Math.min(chunk.length, sizeBytes - written);
                for (int i = 0; i < n; i += 8) {
                    long v = random.nextLong();
                    for (int b = 0; b < 8 && i + b < n; b++) {
                        chunk[i + b] = (byte) (v >>> (8 * b));
                    }
                }
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, n);
                while (buffer.hasRemaining()) {
                    written += channel.write(buffer);
                }
            }
        }
    }

    private static double mibPerSecond(long bytes, long nanos) {
        return bytes / MIB / (nanos / 1e9);
    }



    private static void fail(String message) {
        System.err.println("HashingBenchmark: " + message);
        System.exit(2);
    }
}
