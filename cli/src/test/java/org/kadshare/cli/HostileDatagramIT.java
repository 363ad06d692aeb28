package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kadshare.cli.NodeCluster.Member;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.krpc.ClientVersion;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.GetKeywordsQuery;
import org.kadshare.overlay.krpc.GetManifestsQuery;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.SampleInfohashesQuery;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Keywords;

/**
 * A real {@code node} process under hostile datagrams on its DHT port: malformed and mutated KRPC
 * from one address, and the unauthenticated query of every method that stores something, from
 * another. The node must answer each query within the amplification bound, survive the garbage,
 * and go on serving: a ping from a third address is answered and a fresh node still fetches the
 * file through it.
 */
class HostileDatagramIT extends ClusterFixture {
    private static final Optional<ClientVersion> V = Optional.of(ClientVersion.KADSHARE);
    private static final double AMPLIFICATION_LIMIT = 3.5;
    private static final int GARBAGE_DATAGRAMS = 3_000;

    private final Random random = new Random(2026);
    private int tid;

    @Test
    void garbageAndUnprovenQueriesNeitherCrashTheNodeNorGetRepliesOverThreeAndAHalfTimesTheirSize()
            throws Exception {
        Member boot = cluster.start();
        Member holder = cluster.start(boot.endpoint());
        byte[] bytes = new byte[300_000];
        random.nextBytes(bytes);
        Path file = Files.write(tmp.resolve("hostile-datagram-probe.bin"), bytes);
        NodeProcess.Result put = NodeCluster.run(holder, "put", file.toString());
        assertThat(put.exitCode()).as(put + holder.log()).isZero();
        ContentId id = ContentIds.parse(put.stdout().strip());
        InetSocketAddress target = new InetSocketAddress(holder.address(), holder.port());
        NodeId key = NodeId.of(id.dhtKey());
        NodeId word = NodeId.of(Keywords.dhtKey("hostile"));

        Map<String, KrpcMessage> queries = new LinkedHashMap<>();
        queries.put("ping", new PingQuery(nextTid(), me(), V));
        queries.put("find_node", new FindNodeQuery(nextTid(), me(), key, V));
        queries.put("get_peers", new GetPeersQuery(nextTid(), me(), key, V));
        queries.put("get_manifests", new GetManifestsQuery(nextTid(), me(), key, V));
        queries.put("get_keywords", new GetKeywordsQuery(nextTid(), me(), word, Optional.empty(), V));
        queries.put("sample_infohashes", new SampleInfohashesQuery(nextTid(), me(), key, Optional.empty(), V));
        try (DatagramSocket asker = socketOn("127.77.0.1")) {
            for (Map.Entry<String, KrpcMessage> q : queries.entrySet()) {
                byte[] query = KrpcCodec.encode(q.getValue());
                byte[] reply = exchange(asker, target, query);
                assertThat(reply).as("a reply to %s", q.getKey()).isNotNull();
                assertThat(KrpcCodec.decode(reply)).as(q.getKey()).isInstanceOf(KrpcResponse.class);
                double ratio = (double) reply.length / query.length;
                System.out.printf("%-18s query %4d B  reply %4d B  %.2fx%n", q.getKey(), query.length, reply.length,
                        ratio);
                assertThat(ratio).as("reply of %s over its query", q.getKey()).isLessThanOrEqualTo(AMPLIFICATION_LIMIT);
            }
        }

        byte[][] valid = queries.values().stream().map(KrpcCodec::encode).toArray(byte[][]::new);
        try (DatagramSocket attacker = socketOn("127.77.0.2")) {
            for (int i = 0; i < GARBAGE_DATAGRAMS; i++) {
                byte[] d = garbage(i, valid[i % valid.length]);
                attacker.send(new DatagramPacket(d, d.length, target));
            }
        }

        try (DatagramSocket checker = socketOn("127.77.0.3")) {
            byte[] reply = exchange(checker, target, KrpcCodec.encode(new PingQuery(nextTid(), me(), V)));
            assertThat(reply).as("a ping after the garbage" + holder.log()).isNotNull();
        }
        assertThat(holder.process().isAlive()).as(holder.log()).isTrue();
        NodeProcess.Result status = NodeCluster.run(holder, "status");
        assertThat(status.exitCode()).as(status + holder.log()).isZero();
        Path out = tmp.resolve("fetched.bin");
        NodeProcess.Result get = NodeProcess.run(Map.of(), "--data-dir", tmp.resolve("getter").toString(), "get",
                id.toHex(), "-o", out.toString(), "--bootstrap", holder.endpoint(), "--timeout", "60s");
        assertThat(get.exitCode()).as(get + holder.log()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
        assertThat(holder.log()).doesNotContain("Exception in thread", "OutOfMemoryError");
    }

    /** One of several kinds of bad datagram, in turn: random bytes, a cut or bit-flipped valid query, bencode bombs. */
    private byte[] garbage(int i, byte[] valid) {
        switch (i % 6) {
            case 0: {
                byte[] d = new byte[1 + random.nextInt(1400)];
                random.nextBytes(d);
                return d;
            }
            case 1:
                return Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1));
            case 2: {
                byte[] d = valid.clone();
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    d[random.nextInt(d.length)] ^= (byte) (1 << random.nextInt(8));
                }
                return d;
            }
            case 3:
                return ("d1:t2:aa1:y1:q1:q4:ping1:ad2:id999999999:" + "x".repeat(100) + "ee")
                        .getBytes(StandardCharsets.US_ASCII);
            case 4:
                return ("l".repeat(700) + "e".repeat(700)).getBytes(StandardCharsets.US_ASCII);
            default:
                return ("d1:t2:aa1:y1:q1:q" + "9".repeat(30) + ":get_peers1:ade")
                        .getBytes(StandardCharsets.US_ASCII);
        }
    }

    private static DatagramSocket socketOn(String address) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0));
        s.setSoTimeout(3_000);
        return s;
    }

    /**
     * Sends {@code query} and returns the first answer, trying three times; null if none came. The
     * node's own queries (the ping with which it verifies a new contact) are not answers: skipped.
     */
    private static byte[] exchange(DatagramSocket socket, InetSocketAddress to, byte[] query) throws Exception {
        byte[] buffer = new byte[65_536];
        for (int attempt = 0; attempt < 3; attempt++) {
            socket.send(new DatagramPacket(query, query.length, to));
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    byte[] got = Arrays.copyOf(p.getData(), p.getLength());
                    if (!isQuery(got)) {
                        return got;
                    }
                }
            } catch (SocketTimeoutException e) {
                // lost or rate-limited: ask again
            }
        }
        return null;
    }

    private static boolean isQuery(byte[] datagram) {
        try {
            return KrpcCodec.decode(datagram) instanceof org.kadshare.overlay.krpc.KrpcQuery;
        } catch (Exception e) {
            return false;
        }
    }

    private NodeId me() {
        return NodeId.random(random);
    }

    private TransactionId nextTid() {
        tid++;
        return TransactionId.of(new byte[] {(byte) (tid >> 8), (byte) tid});
    }
}
