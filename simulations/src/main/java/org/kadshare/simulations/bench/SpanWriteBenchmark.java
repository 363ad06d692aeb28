package org.kadshare.simulations.bench;

import static org.kadshare.simulations.bench.BenchArgs.cpuSecondsPerGib;
import static org.kadshare.simulations.bench.BenchArgs.median;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentHasher;
import org.kadshare.storage.LeafLayerRejectedException;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.SpanRejectedException;
import org.kadshare.storage.SpanVerifier;
import org.kadshare.storage.StoreConfig;

/**
 * The getter's disk work per span, in CPU time of the writing thread (user + system, so the
 * kernel's copy into the page cache counts), each run ending with one force of the data file:
 * {@link PartialDownload#writeSpan(int, long, ByteBuffer)} (every leaf hashed against the leaf
 * layer, then one positional write per run of new leaves) with no state save before the end;
 * a reference, alternating in the same run, doing the same leaf checks and then one positional
 * write per leaf; {@code writeSpan} with a state save (a force of the data file, then the
 * state record) every {@code --saves-every} spans (64 unless given: the downloader's bound of
 * 64 MiB between saves, beside its save a second after a span); and {@code writeSpan} from a
 * direct buffer, as a decoder filling pooled direct buffers would hand spans over (the JDK then
 * writes without its copy into a temporary direct buffer, but hashes through a small heap
 * array). Spans of 1 MiB (64 leaves) from a heap buffer, as a download hands them over. Prints
 * CPU-s per GiB per round and the medians.
 *
 * <p>Run: {@code mvn -B -q -pl simulations -am package -DskipTests && java -cp
 * simulations/target/kadshare-simulations.jar org.kadshare.simulations.bench.SpanWriteBenchmark
 * --size 256m --rounds 5}. Flags: {@code --size N[k|m|g]} (default 256m, whole MiB),
 * {@code --rounds N} (default 5), {@code --saves-every SPANS} (default 64). Writes into
 * a temporary directory, deleted at the end.
 */
public final class SpanWriteBenchmark {
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;
    private static final int HEIGHT = 6;
    private static final int SPAN = L << HEIGHT;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** A save every 64 spans of 1 MiB: the downloader's byte bound between two saves (64 MiB). */
    private static final int SAVES_EVERY_SPANS = 64;

    private SpanWriteBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        long size = 256L << 20;
        int rounds = 5;
        int savesEvery = SAVES_EVERY_SPANS;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                System.out.println("usage: SpanWriteBenchmark [--size N[k|m|g]] [--rounds N] [--saves-every SPANS]");
                return;
            }
            if (i + 1 >= args.length) {
                fail("flag " + args[i] + " needs a value");
            }
            try {
                switch (args[i]) {
                    case "--size" -> size = BenchArgs.parseSize(args[i], args[++i]);
                    case "--rounds" -> rounds = BenchArgs.parseCount(args[i], args[++i], 1);
                    case "--saves-every" -> savesEvery = BenchArgs.parseCount(args[i], args[++i], 1);
                    default -> fail("unknown flag " + args[i] + " (try --help)");
                }
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            }
        }
        if (size < SPAN || size % SPAN != 0 || size > Integer.MAX_VALUE - 8) {
            fail("--size must be a whole number of MiB, at most 2047m");
        }
        byte[] content = new byte[(int) size];
        new SplittableRandom(1).nextBytes(content);
        MerkleTree tree;
        try (ContentHasher hasher = new ContentHasher(1)) {
            tree = hasher.hash(content);
        }
        Path dir = Files.createTempDirectory("kadshare-span-write-bench");
        try {
            run(dir, content, tree, rounds, savesEvery);
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void run(Path dir, byte[] content, MerkleTree tree, int rounds, int savesEvery)
            throws IOException {
        System.out.printf(Locale.ROOT, "%d MiB in spans of %d KiB, %d rounds, %d cores%n", content.length >> 20,
                SPAN >> 10, rounds, Runtime.getRuntime().availableProcessors());
        List<Double> ours = new ArrayList<>();
        List<Double> perLeaf = new ArrayList<>();
        List<Double> saving = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        StoreConfig noSaves = StoreConfig.defaults(); // no save by count: only the one at close
        for (int r = 0; r < rounds; r++) {
            double d = cpuSecondsPerGib(content.length,
                    writeDirectSpans(dir.resolve("direct-" + r), content, tree, noSaves));
            double a = cpuSecondsPerGib(content.length, writeSpans(dir.resolve("ours-" + r), content, tree, noSaves));
            double b = cpuSecondsPerGib(content.length,
                    writeLeafByLeaf(dir.resolve("leaf-" + r + ".bin"), content, tree));
            double c = cpuSecondsPerGib(content.length, writeSpans(dir.resolve("saving-" + r), content, tree,
                    StoreConfig.defaults().withStateFlushEverySpans(savesEvery)));
            ours.add(a);
            perLeaf.add(b);
            saving.add(c);
            direct.add(d);
            deleteTree(dir);
            Files.createDirectories(dir);
            System.out.printf(Locale.ROOT, "round %d: writeSpan %.3f, one write per leaf %.3f, writeSpan with the "
                    + "state saved every %d spans %.3f, writeSpan from a direct buffer %.3f CPU-s/GiB%n",
                    r + 1, a, b, savesEvery, c, d);
        }
        System.out.printf(Locale.ROOT, "median: writeSpan %.3f, one write per leaf %.3f (ratio %.2f), writeSpan with "
                + "the state saved every %d spans %.3f, writeSpan from a direct buffer %.3f CPU-s/GiB%n", median(ours),
                median(perLeaf), median(ours) / median(perLeaf), savesEvery, median(saving), median(direct));
    }

    private static long writeSpans(Path storeDir, byte[] content, MerkleTree tree, StoreConfig config)
            throws IOException {
        try (BlockStore store = BlockStore.open(storeDir, config)) {
            PartialDownload p = store.startDownload(tree.contentId(), content.length,
                    tree.leafHashes(0, (int) tree.leafCount()));
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < content.length / SPAN; i++) {
                p.writeSpan(HEIGHT, i, ByteBuffer.wrap(content, i * SPAN, SPAN));
            }
            p.close(); // saves the state: forces the data file first
            return THREADS.getCurrentThreadCpuTime() - cpu0;
        } catch (SpanRejectedException | LeafLayerRejectedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * As {@link #writeSpans} with no saves, each span first copied (outside the timed part) into
     * one reused direct buffer, as a decoder that fills pooled direct buffers hands spans over.
     */
    private static long writeDirectSpans(Path storeDir, byte[] content, MerkleTree tree, StoreConfig config)
            throws IOException {
        ByteBuffer span = ByteBuffer.allocateDirect(SPAN);
        try (BlockStore store = BlockStore.open(storeDir, config)) {
            PartialDownload p = store.startDownload(tree.contentId(), content.length,
                    tree.leafHashes(0, (int) tree.leafCount()));
            long cpu = 0;
            for (int i = 0; i < content.length / SPAN; i++) {
                span.clear();
                span.put(content, i * SPAN, SPAN).flip();
                long cpu0 = THREADS.getCurrentThreadCpuTime();
                p.writeSpan(HEIGHT, i, span);
                cpu += THREADS.getCurrentThreadCpuTime() - cpu0;
            }
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            p.close(); // saves the state: forces the data file first
            return cpu + THREADS.getCurrentThreadCpuTime() - cpu0;
        } catch (SpanRejectedException | LeafLayerRejectedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long writeLeafByLeaf(Path file, byte[] content, MerkleTree tree) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            for (int span = 0; span < content.length / SPAN; span++) {
                int first = span << HEIGHT;
                for (int leaf = first; leaf < first + (1 << HEIGHT); leaf++) {
                    if (!SpanVerifier.verifyLeaf(tree.leafHash(leaf), ByteBuffer.wrap(content, leaf * L, L))) {
                        throw new IllegalStateException("leaf " + leaf + " does not match its hash");
                    }
                }
                for (int leaf = first; leaf < first + (1 << HEIGHT); leaf++) {
                    ByteBuffer b = ByteBuffer.wrap(content, leaf * L, L);
                    long position = (long) leaf * L;
                    while (b.hasRemaining()) {
                        position += channel.write(b, position);
                    }
                }
            }
            channel.force(false); // as the other two do once they are done
            return THREADS.getCurrentThreadCpuTime() - cpu0;
        }
    }

    private static void fail(String message) {
        System.err.println("SpanWriteBenchmark: " + message);
        System.exit(2);
    }
}
