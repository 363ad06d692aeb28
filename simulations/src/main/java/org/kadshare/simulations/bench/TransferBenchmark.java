package org.kadshare.simulations.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.download.Download;
import org.kadshare.overlay.transfer.download.DownloadOptions;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.download.PeerProgress;
import org.kadshare.overlay.transfer.server.BlockServer;
import org.kadshare.overlay.transfer.server.ServerConfig;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.StoreConfig;
import org.kadshare.storage.StoredFile;

/**
 * Measures multi-holder downloads over loopback TCP: real {@link BlockServer}s, each over its own
 * {@link BlockStore} referencing one shared source file, and a real {@link Download} into a fresh
 * store per round. Scenarios:
 * <ul>
 *   <li>{@code a}: 4 holders, no rate limit; beside it, in the same rounds, the plain loopback TCP
 *       rate ({@link PlainTcpReference}) and the disk's forced write rate
 *       ({@link DiskWriteReference}) for the same number of bytes;</li>
 *   <li>{@code b}: 4 holders capped at 25 MiB/s upload each (sum 100 MiB/s);</li>
 *   <li>{@code c}: the same with the first holder capped at 5 MiB/s (sum 80 MiB/s).</li>
 * </ul>
 * Each download is timed twice: to the last verified byte on disk (seen by the progress listener,
 * so to within one 50 ms tick) and to the end, which adds the whole-file check and rename. Prints
 * MiB/s per round, medians, the download/plain-TCP ratio, percentages of the sum of the caps and
 * each holder's share, plus the load average at start and end.
 *
 * <p>Run: {@code mvn -B -q -pl simulations -am package -DskipTests && java -cp
 * simulations/target/kadshare-simulations.jar org.kadshare.simulations.bench.TransferBenchmark
 * --scenario all}. Flags: {@code --size N[k|m|g]} (default 1g), {@code --rounds N} (3),
 * {@code --scenario a|b|c|all} (all), {@code --dir PATH} where to create the working directory
 * (default: the system's temporary directory), {@code --warmup N} untimed downloads before
 * scenario a (1), {@code --timeout-seconds N} per download (default: 30 s plus four times the
 * expected time). Everything created is deleted at the end.
 */
public final class TransferBenchmark {
    private static final double MIB = 1024.0 * 1024.0;
    private static final long LIMIT_BYTES_PER_SECOND = 25L << 20;
    private static final long SLOW_LIMIT_BYTES_PER_SECOND = 5L << 20;
    private static final long ASSUMED_UNLIMITED_BYTES_PER_SECOND = 50L << 20;
    private static final int HOLDERS = 4;
    private static final String LOGBACK_CONFIG_PROPERTY = "logback.configurationFile";

    /** A set of holders, each with its upload cap (0: none). */
    private record Scenario(String name, String description, long[] holderBytesPerSecond) {
        long capSum() {
            return Arrays.stream(holderBytesPerSecond).sum();
        }

        boolean limited() {
            return capSum() > 0;
        }
    }

    /** One download's outcome. */
    private record Outcome(long transferNanos, long totalNanos, DownloadProgress progress, long[] bytesServed,
            String failure) {
        boolean ok() {
            return failure == null;
        }
    }

    private final Path workDir;
    private final Path source;
    private final long sizeBytes;
    private final int rounds;
    private final Long timeoutSecondsOverride;
    private final List<BlockStore> holderStores = new ArrayList<>();
    private ContentId id;

    private TransferBenchmark(Path workDir, long sizeBytes, int rounds, Long timeoutSecondsOverride) {
        this.workDir = workDir;
        this.source = workDir.resolve("source.bin");
        this.sizeBytes = sizeBytes;
        this.rounds = rounds;
        this.timeoutSecondsOverride = timeoutSecondsOverride;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty(LOGBACK_CONFIG_PROPERTY) == null) {
            System.setProperty(LOGBACK_CONFIG_PROPERTY, "org/kadshare/simulations/bench/logback-bench.xml");
        }
        long sizeBytes = 1L << 30;
        int rounds = 3;
        int warmup = 1;
        String scenario = "all";
        Path parent = null;
        Long timeoutSeconds = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                System.out.println("usage: TransferBenchmark [--size N[k|m|g]] [--rounds N] [--scenario a|b|c|all]"
                        + " [--dir PATH] [--warmup N] [--timeout-seconds N]");
                return;
            }
            if (i + 1 >= args.length) {
                fail("flag " + flag + " needs a value");
            }
            String value = args[++i];
            try {
                switch (flag) {
                    case "--size" -> sizeBytes = BenchArgs.parseSize(flag, value);
                    case "--rounds" -> rounds = BenchArgs.parseCount(flag, value, 1);
                    case "--warmup" -> warmup = BenchArgs.parseCount(flag, value, 0);
                    case "--scenario" -> scenario = value.strip().toLowerCase(Locale.ROOT);
                    case "--dir" -> parent = Path.of(value);
                    case "--timeout-seconds" -> timeoutSeconds = (long) BenchArgs.parseCount(flag, value, 1);
                    default -> fail("unknown flag " + flag + " (try --help)");
                }
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            }
        }
        if (sizeBytes < 1) {
            fail("--size must be at least one byte");
        }
        List<Scenario> scenarios = switch (scenario) {
            case "a" -> List.of(scenarioA());
            case "b" -> List.of(scenarioB());
            case "c" -> List.of(scenarioC());
            case "all" -> List.of(scenarioA(), scenarioB(), scenarioC());
            default -> {
                fail("--scenario takes a, b, c or all, got '" + scenario + "'");
                yield List.of();
            }
        };
        Path workDir = parent == null ? Files.createTempDirectory("kadshare-transfer-bench")
                : Files.createTempDirectory(parent, "kadshare-transfer-bench");
        TransferBenchmark bench = new TransferBenchmark(workDir, sizeBytes, rounds, timeoutSeconds);
        try {
            bench.run(scenarios, warmup);
        } finally {
            bench.closeStores();
            deleteTree(workDir);
        }
    }

    private static Scenario scenarioA() {
        return new Scenario("a", "4 holders, no upload limit", new long[HOLDERS]);
    }

    private static Scenario scenarioB() {
        long[] caps = new long[HOLDERS];
        Arrays.fill(caps, LIMIT_BYTES_PER_SECOND);
        return new Scenario("b", "4 holders capped at 25 MiB/s each", caps);
    }

    private static Scenario scenarioC() {
        long[] caps = new long[HOLDERS];
        Arrays.fill(caps, LIMIT_BYTES_PER_SECOND);
        caps[0] = SLOW_LIMIT_BYTES_PER_SECOND;
        return new Scenario("c", "4 holders, the first capped at 5 MiB/s, the others at 25 MiB/s", caps);
    }

    private void run(List<Scenario> scenarios, int warmup) throws Exception {
        String loadAtStart = loadAverage();
        System.out.printf(Locale.ROOT, "load average at start: %s; %d cores; file %d bytes (%.1f MiB); %d rounds%n",
                loadAtStart, Runtime.getRuntime().availableProcessors(), sizeBytes, sizeBytes / MIB, rounds);
        long t0 = System.nanoTime();
        writeRandomFile(source, sizeBytes);
        System.out.printf(Locale.ROOT, "source written in %.1f s (it is likely in the page cache from here on)%n",
                (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        for (int i = 0; i < HOLDERS; i++) {
            BlockStore store = BlockStore.open(workDir.resolve("holder" + i), StoreConfig.defaults());
            holderStores.add(store);
            id = store.add(source, AddMode.REFERENCE).id();
        }
        System.out.printf(Locale.ROOT, "%d holder stores referencing the source, hashed in %.1f s; content id %s%n",
                HOLDERS, (System.nanoTime() - t0) / 1e9, id.toHex());
        for (Scenario s : scenarios) {
            runScenario(s, s.name().equals("a") ? warmup : 0);
        }
        System.out.printf(Locale.ROOT, "%nload average at start: %s, at end: %s%n", loadAtStart, loadAverage());
    }

    private void runScenario(Scenario s, int warmup) throws Exception {
        System.out.printf(Locale.ROOT, "%n== scenario %s: %s%n", s.name(), s.description());
        List<BlockServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < HOLDERS; i++) {
                servers.add(BlockServer.start(holderStores.get(i), nodeId(i + 1),
                        ServerConfig.defaults().withUploadBytesPerSecond(s.holderBytesPerSecond()[i])));
            }
            for (int w = 0; w < warmup; w++) {
                Outcome o = download(s, servers, w == 0 ? "warmup" : "warmup" + w);
                System.out.printf(Locale.ROOT, "warm-up download, not counted: %s%n",
                        o.ok() ? String.format(Locale.ROOT, "%.1f MiB/s", mibPerSecond(o.totalNanos())) : o.failure());
            }
            List<Outcome> outcomes = new ArrayList<>();
            List<Double> tcp = new ArrayList<>();
            List<Double> disk = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                if (!s.limited()) {
                    tcp.add(mibPerSecond(PlainTcpReference.transferNanos(sizeBytes, timeoutSeconds(s))));
                    disk.add(mibPerSecond(DiskWriteReference.writeNanos(workDir, sizeBytes)));
                    System.out.printf(Locale.ROOT, "round %d: plain TCP %8.1f MiB/s | disk write+force %8.1f MiB/s%n",
                            r, tcp.get(r - 1), disk.get(r - 1));
                }
                Outcome o = download(s, servers, "round" + r);
                outcomes.add(o);
                printOutcome(s, r, o);
            }
            printSummary(s, outcomes, tcp, disk);
        } finally {
            servers.forEach(BlockServer::close);
        }
    }

    private Outcome download(Scenario s, List<BlockServer> servers, String label) throws IOException {
        Path roundDir = Files.createDirectory(workDir.resolve(label));
        long[] servedBefore = servers.stream().mapToLong(BlockServer::bytesServed).toArray();
        List<InetSocketAddress> holders = servers.stream().map(BlockServer::address).toList();
        long[] lastByteAt = {-1};
        DownloadOptions options = DownloadOptions.defaults(nodeId(99)).withProgressListener(p -> {
            if (lastByteAt[0] < 0 && p.bytesDone() == p.totalBytes()) {
                lastByteAt[0] = System.nanoTime();
            }
        });
        long timeoutSeconds = timeoutSeconds(s);
        try (BlockStore mine = BlockStore.open(roundDir.resolve("store"), StoreConfig.defaults())) {
            long start = System.nanoTime();
            Download d = Download.start(id, holders, mine, roundDir.resolve("out.bin"), options);
            String failure = null;
            try {
                StoredFile stored = d.result().get(timeoutSeconds, TimeUnit.SECONDS);
                if (!stored.id().equals(id) || Files.size(roundDir.resolve("out.bin")) != sizeBytes) {
                    failure = "the downloaded file is not the source: " + stored.id().toHex();
                }
            } catch (TimeoutException e) {
                failure = "timed out after " + timeoutSeconds + " s";
                d.cancel();
                awaitQuietly(d);
            } catch (ExecutionException e) {
                failure = "failed: " + e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            long end = System.nanoTime();
            long[] served = new long[servers.size()];
            for (int i = 0; i < served.length; i++) {
                served[i] = servers.get(i).bytesServed() - servedBefore[i];
            }
            long transfer = (lastByteAt[0] < 0 ? end : Math.min(lastByteAt[0], end)) - start;
            return new Outcome(transfer, end - start, d.progress(), served, failure);
        } finally {
            deleteTree(roundDir);
        }
    }

    private static void awaitQuietly(Download d) {
        try {
            d.result().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // cancelled or still stopping: the failure is already reported
        }
    }

    private long timeoutSeconds(Scenario s) {
        if (timeoutSecondsOverride != null) {
            return timeoutSecondsOverride;
        }
        long rate = s.limited() ? s.capSum() : ASSUMED_UNLIMITED_BYTES_PER_SECOND;
        return 30 + 4 * (sizeBytes / rate + 1);
    }

    private void printOutcome(Scenario s, int round, Outcome o) {
        if (!o.ok()) {
            System.out.printf(Locale.ROOT, "round %d: download %s (%d of %d bytes verified)%n", round, o.failure(),
                    o.progress().bytesDone(), sizeBytes);
            return;
        }
        double toLastByte = mibPerSecond(o.transferNanos());
        double total = mibPerSecond(o.totalNanos());
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "round %d: download %8.1f MiB/s to the last verified byte (%.2f s), %8.1f MiB/s end to end (%.2f s)",
                round, toLastByte, o.transferNanos() / 1e9, total, o.totalNanos() / 1e9));
        if (s.limited()) {
            line.append(String.format(Locale.ROOT, " | %.1f %% / %.1f %% of the %.0f MiB/s sum", percentOfSum(s,
                    toLastByte), percentOfSum(s, total), s.capSum() / MIB));
        }
        System.out.println(line);
        DownloadProgress p = o.progress();
        long fetched = Math.max(1, p.bytesFetched());
        List<PeerProgress> peers = p.peers();
        for (int i = 0; i < peers.size(); i++) {
            PeerProgress peer = peers.get(i);
            long cap = s.holderBytesPerSecond()[i];
            System.out.printf(Locale.ROOT,
                    "    holder %d (%s): %6.1f MiB in %4d spans = %5.1f %% (cap share %s), %6.1f MiB/s;"
                            + " served %6.1f MiB; %s%n",
                    i, cap == 0 ? "no cap" : String.format(Locale.ROOT, "cap %.0f MiB/s", cap / MIB),
                    peer.bytesFetched() / MIB, peer.spansFetched(), 100.0 * peer.bytesFetched() / fetched,
                    cap == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * cap / s.capSum()),
                    peer.bytesFetched() / MIB / (o.transferNanos() / 1e9), o.bytesServed()[i] / MIB,
                    peer.state() + (peer.failure().isEmpty() ? "" : " (" + peer.failure() + ")"));
        }
        System.out.printf(Locale.ROOT, "    endgame copies %d, wasted duplicate bytes %.1f MiB, stalls %d, rejected %d%n",
                p.duplicatesIssued(), p.duplicateBytes() / MIB, p.stalls(), p.rejectedSpans());
    }

    private void printSummary(Scenario s, List<Outcome> outcomes, List<Double> tcp, List<Double> disk) {
        List<Outcome> ok = outcomes.stream().filter(Outcome::ok).toList();
        System.out.printf(Locale.ROOT, "-- scenario %s summary: %d of %d downloads completed%n", s.name(), ok.size(),
                outcomes.size());
        if (ok.isEmpty()) {
            return;
        }
        double toLastByte = BenchArgs.median(ok.stream().mapToDouble(o -> mibPerSecond(o.transferNanos())).toArray());
        double total = BenchArgs.median(ok.stream().mapToDouble(o -> mibPerSecond(o.totalNanos())).toArray());
        System.out.printf(Locale.ROOT, "median download: %.1f MiB/s to the last verified byte, %.1f MiB/s end to end%n",
                toLastByte, total);
        if (!tcp.isEmpty()) {
            double t = BenchArgs.median(tcp.stream().mapToDouble(Double::doubleValue).toArray());
            double w = BenchArgs.median(disk.stream().mapToDouble(Double::doubleValue).toArray());
            System.out.printf(Locale.ROOT, "median plain TCP loopback: %.1f MiB/s; median disk write+force: %.1f MiB/s%n",
                    t, w);
            System.out.printf(Locale.ROOT, "ratio download/plain TCP: %.3f (to last byte), %.3f (end to end);"
                    + " download/disk: %.2f, %.2f%n", toLastByte / t, total / t, toLastByte / w, total / w);
        }
        if (s.limited()) {
            System.out.printf(Locale.ROOT, "of the %.0f MiB/s sum of the caps: %.1f %% to the last byte, %.1f %% end to end"
                    + " (target 90 %%: %s)%n", s.capSum() / MIB, percentOfSum(s, toLastByte), percentOfSum(s, total),
                    percentOfSum(s, toLastByte) >= 90 ? "met to the last byte" : "MISSED to the last byte");
        }
    }

    private double percentOfSum(Scenario s, double mibPerSecond) {
        return 100.0 * mibPerSecond / (s.capSum() / MIB);
    }

    private double mibPerSecond(long nanos) {
        return sizeBytes / MIB / (nanos / 1e9);
    }

    private void closeStores() throws IOException {
        for (BlockStore s : holderStores) {
            s.close();
        }
    }

    private static NodeId nodeId(int n) {
        byte[] b = new byte[20];
        b[0] = (byte) 0x7b;
        b[19] = (byte) n;
        return NodeId.of(b);
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void writeRandomFile(Path file, long sizeBytes) throws IOException {
        SplittableRandom random = new SplittableRandom(0x6b616473L);
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long written = 0;
            while (written < sizeBytes) {
                buffer.clear();
                while (buffer.remaining() >= Long.BYTES) {
                    buffer.putLong(random.nextLong());
                }
                buffer.flip().limit((int) Math.min(buffer.limit(), sizeBytes - written));
                while (buffer.hasRemaining()) {
                    written += channel.write(buffer);
                }
            }
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void fail(String message) {
        System.err.println("TransferBenchmark: " + message);
        System.exit(2);
    }
}
