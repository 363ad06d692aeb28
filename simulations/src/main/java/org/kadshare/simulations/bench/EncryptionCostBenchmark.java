package org.kadshare.simulations.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.download.Download;
import org.kadshare.overlay.transfer.download.DownloadOptions;
import org.kadshare.overlay.transfer.server.BlockServer;
import org.kadshare.overlay.transfer.server.ServerConfig;
import org.kadshare.overlay.transfer.tls.Encryption;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.NodeIdentity;
import org.kadshare.storage.StoreConfig;
import org.kadshare.storage.StoredFile;

/**
 * The cost of encrypting block transfers, holder and getter in one warmed-up JVM: one holder
 * (a {@link BlockServer} over a store that trusts the file, so in clear it sends spans from the
 * file) and one {@link Download}, alternately in clear (both at {@code refuse}) and in TLS 1.3
 * (both at {@code require}), over loopback. Prints per round the rate and the process's CPU
 * seconds (both sides together; {@code getProcessCpuTime}), then the medians and the CPU seconds
 * per GiB that encryption adds. One untimed download of each kind first, for the JIT.
 *
 * <p>Run: {@code mvn -B -q -pl simulations -am package -DskipTests && java -cp
 * simulations/target/kadshare-simulations.jar org.kadshare.simulations.bench.EncryptionCostBenchmark}.
 * Flags: {@code --size N[k|m|g]} (default 512m), {@code --rounds N} (3), {@code --dir PATH} (where
 * to make the working directory; default the system's temporary directory), {@code --bind ADDRESS}
 * (the holder's loopback address; default 127.0.0.1). Everything created
 * is deleted at the end.
 */
public final class EncryptionCostBenchmark {
    private static final double MIB = 1024.0 * 1024.0;

    private final long sizeBytes;
    private final int rounds;
    private final Path workDir;
    private final InetAddress bindAddress;

    private EncryptionCostBenchmark(long sizeBytes, int rounds, Path workDir, InetAddress bindAddress) {
        this.bindAddress = bindAddress;
        this.sizeBytes = sizeBytes;
        this.rounds = rounds;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "org/kadshare/simulations/bench/logback-bench.xml");
        }
        long size = 512L << 20;
        int rounds = 3;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        InetAddress bind = InetAddress.getLoopbackAddress();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--size" -> size = BenchArgs.parseSize("--size", value);
                case "--rounds" -> rounds = BenchArgs.parseCount("--rounds", value, 1);
                case "--dir" -> parent = Path.of(value);
                case "--bind" -> bind = InetAddress.getByName(value);
                default -> {
                    System.err.println("EncryptionCostBenchmark: unknown flag " + args[i]);
                    System.exit(2);
                }
            }
            i++;
        }
        Path dir = Files.createTempDirectory(Files.createDirectories(parent), "kadshare-tls-bench-");
        try {
            new EncryptionCostBenchmark(size, rounds, dir, bind).run();
        } finally {
            TransferBenchmark.deleteTree(dir);
        }
    }

    private record Round(double seconds, double cpuSeconds) {
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "load average at start: %s; %d cores; %.0f MiB, %d rounds%n",
                TransferBenchmark.loadAverage(), Runtime.getRuntime().availableProcessors(), sizeBytes / MIB, rounds);
        Path source = workDir.resolve("source.bin");
        TransferBenchmark.writeRandomFile(source, sizeBytes);
        NodeId holderId = NodeId.of(new byte[20]);
        NodeId getterId = NodeId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});
        NodeIdentity holderKey = NodeIdentity.generate();
        NodeIdentity getterKey = NodeIdentity.generate();
        InetSocketAddress bind = new InetSocketAddress(bindAddress, 0);
        // An hour ahead, the just-written source counts as old, so the holder trusts its leaves.
        try (BlockStore store = BlockStore.open(workDir.resolve("holder"), StoreConfig.defaults(),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
                BlockServer clear = BlockServer.start(store, holderId, ServerConfig.defaults().withBindAddress(bind),
                        TransportSecurity.of(Encryption.REFUSE, holderKey, holderId));
                BlockServer tls = BlockServer.start(store, holderId, ServerConfig.defaults().withBindAddress(bind),
                        TransportSecurity.of(Encryption.REQUIRE, holderKey, holderId))) {
            ContentId id = store.add(source, AddMode.REFERENCE).id();
            TransportSecurity clearGetter = TransportSecurity.of(Encryption.REFUSE, getterKey, getterId);
            TransportSecurity tlsGetter = TransportSecurity.of(Encryption.REQUIRE, getterKey, getterId);
            download(id, clear, clearGetter, getterId, "warmup-clear");
            download(id, tls, tlsGetter, getterId, "warmup-tls");
            List<Round> clearRounds = new ArrayList<>();
            List<Round> tlsRounds = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                clearRounds.add(print("clear", r, download(id, clear, clearGetter, getterId, "clear" + r)));
                tlsRounds.add(print("TLS 1.3", r, download(id, tls, tlsGetter, getterId, "tls" + r)));
            }
            double clearCpu = median(clearRounds, true);
            double tlsCpu = median(tlsRounds, true);
            double gib = sizeBytes / (1024 * MIB);
            System.out.printf(Locale.ROOT, "%nmedian clear:   %7.1f MiB/s, %5.2f CPU s (%.2f CPU s/GiB)%n",
                    sizeBytes / MIB / median(clearRounds, false), clearCpu, clearCpu / gib);
            System.out.printf(Locale.ROOT, "median TLS 1.3: %7.1f MiB/s, %5.2f CPU s (%.2f CPU s/GiB)%n",
                    sizeBytes / MIB / median(tlsRounds, false), tlsCpu, tlsCpu / gib);
            System.out.printf(Locale.ROOT, "encryption adds %.2f CPU s per GiB (holder and getter together); "
                    + "load average at end: %s%n", (tlsCpu - clearCpu) / gib, TransferBenchmark.loadAverage());
            System.out.printf(Locale.ROOT, "connections: clear %d, encrypted %d%n",
                    clearGetter.clearConnections(), tlsGetter.encryptedConnections());
        }
    }

    private Round print(String kind, int round, Round r) {
        System.out.printf(Locale.ROOT, "round %d %-8s %7.1f MiB/s  %5.2f CPU s%n", round, kind,
                sizeBytes / MIB / r.seconds(), r.cpuSeconds());
        return r;
    }

    private static double median(List<Round> rounds, boolean cpu) {
        return BenchArgs.median(rounds.stream().mapToDouble(r -> cpu ? r.cpuSeconds() : r.seconds()).toArray());
    }

    private Round download(ContentId id, BlockServer holder, TransportSecurity security, NodeId getterId,
            String label) throws Exception {
        Path roundDir = Files.createDirectory(workDir.resolve(label));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (BlockStore mine = BlockStore.open(roundDir.resolve("store"), StoreConfig.defaults())) {
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Download d = Download.start(id, List.of(holder.address()), mine, roundDir.resolve("out.bin"),
                    DownloadOptions.defaults(getterId).withSecurity(security));
            StoredFile stored = d.result().get(30 + 4 * (sizeBytes >> 20) / 10, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            long cpu1 = os.getProcessCpuTime();
            if (!stored.id().equals(id)) {
                throw new IllegalStateException("downloaded " + stored.id() + ", not " + id);
            }
            return new Round((t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9);
        } finally {
            TransferBenchmark.deleteTree(roundDir);
        }
    }
}
