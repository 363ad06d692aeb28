package org.kadshare.simulations.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.dht.DhtStatus;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcDecodeException;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.overlay.runtime.DhtOptions;

/**
 * Measures how many KRPC queries one real {@link Dht} node answers per second over loopback UDP.
 * The node runs as in production (its own Netty event-loop thread) except that the per-source rate
 * limit is raised to 10^9 queries/s (burst 10^6), since all the load comes from one address. A load
 * generator on this program's main thread, with its own plain {@link DatagramSocket} on another
 * loopback address, keeps a fixed window of queries in flight (half {@code ping}, half
 * {@code get_peers} for random keys, encoded with {@link KrpcCodec} beforehand), sends one more for
 * every reply it decodes, and counts a query as lost when no reply came within a stall timeout.
 * Each round is bounded in queries and in time; warm-up rounds are not reported. Prints answered
 * queries per second per round, their median, the loss rate, and the load average.
 *
 * <p>Run: {@code mvn -B -q -pl simulations -am package -DskipTests && java -cp
 * simulations/target/kadshare-simulations.jar org.kadshare.simulations.bench.KrpcThroughputBenchmark}.
 * Flags: {@code --rounds N} (5), {@code --warmup N} (2), {@code --queries N} per round (50,000),
 * {@code --window N} queries in flight (64), {@code --stall-millis N} (200),
 * {@code --round-seconds N} upper bound of one round (30).
 */
public final class KrpcThroughputBenchmark {
    private static final int RATE_UNLIMITED_PER_SECOND = 1_000_000_000;
    private static final int RATE_UNLIMITED_BURST = 1_000_000;
    private static final String LOGBACK_CONFIG_PROPERTY = "logback.configurationFile";

    private final int queries;
    private final int window;
    private final int stallMillis;
    private final long roundNanos;

    /** One round's outcome. */
    private record Round(int sent, int answered, int lost, long elapsedNanos) {
        double answeredPerSecond() {
            return answered / (elapsedNanos / 1e9);
        }
    }

    private KrpcThroughputBenchmark(int queries, int window, int stallMillis, long roundSeconds) {
        this.queries = queries;
        this.window = window;
        this.stallMillis = stallMillis;
        this.roundNanos = TimeUnit.SECONDS.toNanos(roundSeconds);
    }

    public static void main(String[] args) throws IOException {
        if (System.getProperty(LOGBACK_CONFIG_PROPERTY) == null) {
            System.setProperty(LOGBACK_CONFIG_PROPERTY, "org/kadshare/simulations/bench/logback-bench.xml");
        }
        int rounds = 5;
        int warmup = 2;
        int queries = 50_000;
        int window = 64;
        int stallMillis = 200;
        int roundSeconds = 30;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--help") || flag.equals("-h")) {
                System.out.println("usage: KrpcThroughputBenchmark [--rounds N] [--warmup N] [--queries N]"
                        + " [--window N] [--stall-millis N] [--round-seconds N]");
                return;
            }
            if (i + 1 >= args.length) {
                fail("flag " + flag + " needs a value");
            }
            int value = 0;
            try {
                value = BenchArgs.parseCount(flag, args[++i], flag.equals("--warmup") ? 0 : 1);
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            }
            switch (flag) {
                case "--rounds" -> rounds = value;
                case "--warmup" -> warmup = value;
                case "--queries" -> queries = value;
                case "--window" -> window = value;
                case "--stall-millis" -> stallMillis = value;
                case "--round-seconds" -> roundSeconds = value;
                default -> fail("unknown flag " + flag);
            }
        }
        new KrpcThroughputBenchmark(queries, window, stallMillis, roundSeconds).run(warmup, rounds);
    }

    private void run(int warmup, int rounds) throws IOException {
        DhtConfig d = DhtConfig.defaults();
        DhtConfig config = new DhtConfig(d.k(), d.alpha(), d.replacementCacheSize(), d.maxFailures(),
                d.questionableAfterMillis(), d.bucketRefreshMillis(), d.onePerIp(), d.queryTimeoutMillis(),
                d.rttInitialMillis(), d.rttMinMillis(), d.rttMaxMillis(), d.maxPendingQueries(),
                d.tokenRotationMillis(), RATE_UNLIMITED_PER_SECOND, RATE_UNLIMITED_BURST, d.rateLimitedSources(),
                d.holderTtlMillis(), d.reannounceMillis(), d.holdersPerKey(), d.holderRecords(), d.holdersPerKeyPerIp(),
                d.holdersReturned(), d.manifestTtlMillis(), d.republishMillis(), d.manifestsPerKey(),
                d.manifestsPerKeyPerIp(), d.manifestRecords(), d.cacheMinTtlMillis(), d.maintenanceMillis(),
                d.diversity(), d.lookupPaths());
        InetAddress nodeIp = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        InetAddress loadIp = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
        System.out.printf(Locale.ROOT, "KRPC throughput: %d queries per round, window %d, stall %d ms, "
                        + "rate limit raised to %d/s; %d cores, load average %.2f%n",
                queries, window, stallMillis, RATE_UNLIMITED_PER_SECOND, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (Dht node = Dht.start(DhtOptions.bindTo(new InetSocketAddress(nodeIp, 0)).withConfig(config));
             DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loadIp, 0))) {
            socket.connect(node.localAddress());
            socket.setSoTimeout(stallMillis);
            socket.setReceiveBufferSize(1 << 20);
            List<Double> rates = new ArrayList<>();
            long sent = 0;
            long lost = 0;
            SplittableRandom random = new SplittableRandom(1);
            for (int r = 0; r < warmup + rounds; r++) {
                Round round = round(socket, encodeQueries(random));
                boolean measured = r >= warmup;
                System.out.printf(Locale.ROOT, "%s %d: %,.0f queries/s answered (%d of %d sent, %d lost, %.2f s)%n",
                        measured ? "round" : "warm-up", measured ? r - warmup + 1 : r + 1,
                        round.answeredPerSecond(), round.answered(), round.sent(), round.lost(),
                        round.elapsedNanos() / 1e9);
                if (measured) {
                    rates.add(round.answeredPerSecond());
                    sent += round.sent();
                    lost += round.lost();
                }
            }
            rates.sort(Double::compare);
            DhtStatus status = node.status().join();
            System.out.printf(Locale.ROOT, "median: %,.0f queries/s answered; loss %.3f %% (%d of %d)%n",
                    rates.get(rates.size() / 2), sent == 0 ? 0.0 : 100.0 * lost / sent, lost, sent);
            System.out.printf(Locale.ROOT, "node: %s; socket: %s; load average now %.2f%n", status.counters(),
                    node.socketCounters(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** This round's queries, the transaction ID of query {@code i} being {@code i} as 4 bytes. */
    private byte[][] encodeQueries(SplittableRandom random) {
        NodeId self = NodeId.random(random);
        byte[][] out = new byte[queries][];
        for (int i = 0; i < queries; i++) {
            TransactionId tid = TransactionId.of(new byte[] {(byte) (i >>> 24), (byte) (i >>> 16), (byte) (i >>> 8),
                    (byte) i});
            out[i] = KrpcCodec.encode(i % 2 == 0
                    ? new PingQuery(tid, self, Optional.empty())
                    : new GetPeersQuery(tid, self, NodeId.random(random), Optional.empty()));
        }
        return out;
    }

    private Round round(DatagramSocket socket, byte[][] encoded) throws IOException {
        BitSet resolved = new BitSet(queries);
        byte[] buffer = new byte[KrpcCodec.MAX_DATAGRAM_BYTES + 1];
        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
        int sent = 0;
        int answered = 0;
        int lost = 0;
        int inFlight = 0;
        long start = System.nanoTime();
        long deadline = start + roundNanos;
        while (answered + lost < sent || sent < queries) {
            while (inFlight < window && sent < queries && System.nanoTime() < deadline) {
                socket.send(new DatagramPacket(encoded[sent], encoded[sent].length));
                sent++;
                inFlight++;
            }
            if (answered + lost == sent) {
                break;
            }
            try {
                in.setLength(buffer.length);
                socket.receive(in);
            } catch (SocketTimeoutException stalled) {
                for (int i = resolved.nextClearBit(0); i < sent; i = resolved.nextClearBit(i + 1)) {
                    resolved.set(i);
                    lost++;
                }
                inFlight = 0;
                continue;
            }
            int index = indexOf(buffer, in.getLength());
            if (index >= 0 && index < sent && !resolved.get(index)) {
                resolved.set(index);
                answered++;
                inFlight--;
            }
        }
        return new Round(sent, answered, lost, System.nanoTime() - start);
    }

    /** The query index a reply answers, or -1 for anything that is not a response to one of ours. */
    private static int indexOf(byte[] buffer, int length) {
        byte[] datagram = Arrays.copyOf(buffer, length);
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            return -1;
        }
        byte[] tid = message.transactionId().toBytes();
        if (!(message instanceof KrpcResponse) || tid.length != 4) {
            return -1;
        }
        return (tid[0] & 0xff) << 24 | (tid[1] & 0xff) << 16 | (tid[2] & 0xff) << 8 | (tid[3] & 0xff);
    }

    private static void fail(String message) {
        System.err.println("KrpcThroughputBenchmark: " + message);
        System.exit(2);
    }
}
