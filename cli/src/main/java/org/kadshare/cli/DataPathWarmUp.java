package org.kadshare.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.kadshare.overlay.node.GetOptions;
import org.kadshare.overlay.node.Node;
import org.kadshare.overlay.node.PutOptions;
import org.kadshare.overlay.node.PutResult;
import org.kadshare.overlay.reach.ReachOptions;
import org.kadshare.overlay.transfer.tls.Encryption;
import org.kadshare.storage.ContentId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A get between two nodes of this process, so that the code every get and every upload runs per
 * span (TLS, framing, the download core, hashing, the writes, the block server) is compiled before
 * a real one needs it. A node runs on the quick compiler alone, which compiles a method only after
 * some hundreds of calls: a node's first real get otherwise runs its first tens of MiB
 * interpreted and pays the compiler beside it, on both sides (docs/BENCHMARKS.md, "A node's first
 * get, warmed up").
 *
 * <p>The two nodes bind to 127.0.0.1 on ports the system picks, know only each other (nothing
 * reaches the node's own network, its store or its routing table), live in a directory of the
 * node's data directory ({@link #DIRECTORY}) that is deleted afterwards, and exchange a file of
 * pseudo-random bytes, encrypted as the node is set to. Each wait is bounded by
 * {@link #STEP_SECONDS}; a failure only costs speed.
 */
final class DataPathWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(DataPathWarmUp.class);
    /** What a node exchanges after it joined: about 1 s and 1.3 CPU-s on a 2-core machine. */
    static final int NODE_BYTES = 32 << 20;
    /** The environment variable that turns it off: {@value}{@code =0}. */
    static final String SWITCH = "KADSHARE_WARM_UP";
    /** The directory of the node's data directory it runs in. */
    static final String DIRECTORY = "warm-up";
    /** The longest each wait takes: the join, the holder's announce, the get. */
    static final long STEP_SECONDS = 20;

    private DataPathWarmUp() {
    }

    /** Whether a node started from this environment warms up ({@link #SWITCH} not {@code 0}). */
    static boolean enabled(Map<String, String> env) {
        return !"0".equals(env.get(SWITCH));
    }

    /**
     * Runs it in {@code dir} ({@link #run}) on a daemon thread at the lowest priority and hands
     * whether the copy arrived whole to {@code done}; returns at once.
     */
    static void startInBackground(Path dir, Encryption encryption, Consumer<Boolean> done) {
        Thread t = new Thread(() -> {
            LOG.info("warming up: a {} MiB get between two nodes of this process on 127.0.0.1 (the upload lines "
                    + "that follow are its own; {}=0 turns it off)", NODE_BYTES >> 20, SWITCH);
            long started = System.nanoTime();
            boolean whole = false;
            try {
                whole = run(dir, NODE_BYTES, encryption);
            } finally {
                LOG.debug("the data-path warm-up ended in {} ms; copy whole: {}",
                        (System.nanoTime() - started) / 1_000_000, whole);
                done.accept(whole);
            }
        }, "data-path-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * The exchange of {@code bytes} bytes in {@code dir}, which it deletes first (what a node
     * killed during an earlier warm-up left) and afterwards, and on the way out if the JVM stops
     * meanwhile; whether the copy arrived whole.
     */
    static boolean run(Path dir, int bytes, Encryption encryption) {
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            long usable = Files.getFileStore(dir).getUsableSpace();
            if (!roomFor(bytes, usable)) {
                LOG.debug("no data-path warm-up: {} bytes free where it would write {}", usable, 2L * bytes);
                deleteTree(dir);
                return false;
            }
        } catch (IOException e) {
            LOG.debug("the data-path warm-up could not make {}", dir, e);
            deleteTree(dir);
            return false;
        }
        Thread cleanUp = new Thread(() -> deleteTree(dir), "warm-up-clean-up");
        Runtime.getRuntime().addShutdownHook(cleanUp);
        try {
            return exchange(dir, bytes, encryption);
        } finally {
            deleteTree(dir);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway
            }
        }
    }

    /**
     * Whether a disk with {@code usableBytes} free has room for an exchange of {@code bytes}: it
     * writes them twice (the file and its copy), and must not be what fills the disk under a
     * user's own download, so it wants ten times that free.
     */
    static boolean roomFor(long bytes, long usableBytes) {
        return usableBytes / 10 >= 2 * bytes;
    }

    /**
     * A holder and a getter node under {@code dir}, the getter joined through the holder only: the
     * holder puts {@code bytes} pseudo-random bytes, the getter fetches them; whether the copy is
     * whole.
     */
    static boolean exchange(Path dir, int bytes, Encryption encryption) {
        return exchange(dir, bytes, encryption, (getter, getterDir, id, copy) ->
                getter.get(id, copy, GetOptions.defaults()).result().get(STEP_SECONDS, TimeUnit.SECONDS));
    }

    /** How the getter node fetches the file: through its API, or as a user's `get` would. */
    @FunctionalInterface
    interface Fetch {
        void fetch(Node getter, Path getterDir, ContentId id, Path copy) throws Exception;
    }

    /** As {@link #exchange(Path, int, Encryption)}, the getter fetching by {@code fetch}. */
    static boolean exchange(Path dir, int bytes, Encryption encryption, Fetch fetch) {
        NodeSettings settings = new NodeSettings(0, "127.0.0.1", List.of(), 1 << 20, 4, 0, true, true, "off", Map.of(),
                encryption, ReachOptions.OFF);
        Path getterDir = dir.resolve("getter");
        try (Node holder = NodeStarter.start(DataDirs.prepare(dir.resolve("holder")), settings, 0);
                Node getter = NodeStarter.start(DataDirs.prepare(getterDir), settings, 0)) {
            getter.join(List.of(holder.dhtAddress())).get(STEP_SECONDS, TimeUnit.SECONDS);
            Path file = pseudoRandomFile(dir.resolve("file"), bytes);
            // put once the getter is known, so the holder's announce reaches a node other than itself
            PutResult put = holder.put(file, PutOptions.defaults());
            put.announced().get(STEP_SECONDS, TimeUnit.SECONDS);
            Path copy = dir.resolve("copy");
            fetch.fetch(getter, getterDir, put.stored().id(), copy);
            return Files.exists(copy) && Files.mismatch(file, copy) == -1;
        } catch (Exception e) {
            LOG.debug("the data-path warm-up failed", e);
            return false;
        }
    }

    /** Writes {@code bytes} pseudo-random bytes to {@code file} a chunk at a time (no array of them all). */
    private static Path pseudoRandomFile(Path file, int bytes) throws IOException {
        SplittableRandom random = new SplittableRandom(bytes);
        byte[] chunk = new byte[Math.min(bytes, 1 << 20)];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < bytes; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, Math.min(chunk.length, bytes - written));
            }
        }
        return file;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("could not delete the warm-up's directory {}", dir, e);
        }
    }
}
