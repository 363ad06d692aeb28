package org.kadshare.overlay.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.testing.LoopbackDhtNetwork.await;

import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.DhtCounters;
import org.kadshare.overlay.dht.DhtStatus;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.PutManifestQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.overlay.testing.LoopbackDhtNetwork;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.NodeIdentity;

/**
 * A real node keeps serving while a hostile sender on its own loopback address blasts it with a
 * bounded number of bad datagrams over a real socket.
 */
class HostileSenderTest {
    private static final int DATAGRAMS = 2000;
    private static final long QUIET_WAIT_MILLIS = 10_000;
    private static final NodeIdentity IDENTITY = NodeIdentity.generate();

    /** One bad datagram of kind {@code i % 8}: nothing a correct node may store or learn from. */
    private static byte[] hostile(int i, SplittableRandom random) {
        TransactionId tid = TransactionId.of(new byte[] {(byte) random.nextInt(), (byte) random.nextInt()});
        NodeId sender = NodeId.random(random);
        NodeId key = NodeId.random(random);
        byte[] badToken = new byte[8];
        random.nextBytes(badToken);
        switch (i % 8) {
            case 0 -> {
                byte[] junk = new byte[random.nextInt(1, 300)];
                random.nextBytes(junk);
                return junk;
            }
            case 1 -> {
                byte[] valid = KrpcCodec.encode(new GetPeersQuery(tid, sender, key, Optional.empty()));
                return Arrays.copyOf(valid, random.nextInt(1, valid.length));
            }
            case 2 -> {
                int length = random.nextBoolean() ? 19 : 21;
                return bencodedPing(tid.toBytes(), new byte[length]);
            }
            case 3 -> {
                return KrpcCodec.encode(new AnnouncePeerQuery(tid, sender, key, 6881, false, Token.of(badToken),
                        Optional.empty()));
            }
            case 4 -> {
                byte[] content = new byte[ContentId.LENGTH_BYTES];
                random.nextBytes(content);
                byte[] manifest = ManifestCodec.encode(Manifest.sign(ContentId.of(content), 1, "x", "text/plain", 0,
                        IDENTITY));
                return KrpcCodec.encode(new PutManifestQuery(tid, sender, NodeId.of(ContentId.of(content).dhtKey()),
                        EncodedManifest.of(manifest), Token.of(badToken), Optional.empty()));
            }
            case 5 -> {
                return KrpcCodec.encode(KrpcResponse.ofId(tid, sender, Optional.empty()));
            }
            case 6 -> {
                return KrpcCodec.encode(new KrpcError(tid, KrpcError.GENERIC, "never asked", Optional.empty()));
            }
            default -> {
                return new byte[KrpcCodec.MAX_DATAGRAM_BYTES + 1 + random.nextInt(100)];
            }
        }
    }

    private static byte[] bencodedPing(byte[] tid, byte[] id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("d1:ad2:id" + id.length + ":"));
        out.writeBytes(id);
        out.writeBytes(ascii("e1:q4:ping1:t" + tid.length + ":"));
        out.writeBytes(tid);
        out.writeBytes(ascii("1:y1:qe"));
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Waits until the node's socket has seen no new datagram for a moment, bounded. */
    private static void awaitQuiet(Dht node) throws InterruptedException {
        long deadline = System.nanoTime() + QUIET_WAIT_MILLIS * 1_000_000L;
        long last = -1;
        while (System.nanoTime() < deadline) {
            UdpCounters c = node.socketCounters();
            long seen = c.datagramsReceived() + c.droppedOversize();
            if (seen == last) {
                return;
            }
            last = seen;
            Thread.sleep(300);
        }
        throw new AssertionError("node " + node + " still receiving after " + QUIET_WAIT_MILLIS + " ms");
    }

    @Test
    void nodeKeepsServingAndChangesNoTableWhileBlastedWithBadDatagrams() throws Exception {
        try (LoopbackDhtNetwork net = LoopbackDhtNetwork.joined(8, LoopbackDhtNetwork.fastConfig());
             DatagramSocket attacker = new DatagramSocket(new InetSocketAddress(LoopbackDhtNetwork.address(250), 0))) {
            Dht target = net.node(3);
            NodeId key = NodeId.random(new SplittableRandom(5));
            assertThat(await(net.node(5).announce(key, 6500), "announce")).isPositive();
            InetSocketAddress holder = new InetSocketAddress(net.node(5).localAddress().getAddress(), 6500);
            awaitQuiet(target);
            DhtStatus before = await(target.status(), "status before");
            var contactsBefore = await(target.contacts(), "contacts before");

            SplittableRandom random = new SplittableRandom(42);
            InetSocketAddress to = target.localAddress();
            CompletableFuture<List<InetSocketAddress>> during = null;
            for (int i = 0; i < DATAGRAMS; i++) {
                byte[] bytes = hostile(i, random);
                attacker.send(new DatagramPacket(bytes, bytes.length, to));
                if (i == DATAGRAMS / 2) {
                    during = net.node(6).findHolders(key);
                }
            }
            assertThat(await(during, "lookup during the blast")).contains(holder);
            awaitQuiet(target);

            DhtStatus after = await(target.status(), "status after");
            assertThat(after.routingContacts()).isEqualTo(before.routingContacts());
            assertThat(await(target.contacts(), "contacts after")).extracting(c -> c.id())
                    .containsExactlyInAnyOrderElementsOf(contactsBefore.stream().map(c -> c.id()).toList());
            assertThat(after.holderRecords()).isEqualTo(before.holderRecords());
            assertThat(after.manifestRecords()).isEqualTo(before.manifestRecords());
            DhtCounters c = after.counters();
            DhtCounters b = before.counters();
            assertThat(c.garbage()).as("garbage dropped").isGreaterThan(b.garbage());
            assertThat(c.malformed()).as("bad queries answered with errors").isGreaterThan(b.malformed());
            assertThat(c.rateLimited()).as("flood rate-limited").isGreaterThan(b.rateLimited());
            assertThat(c.unknownReplies()).as("replies to queries never sent").isGreaterThan(b.unknownReplies());
            assertThat(target.socketCounters().droppedOversize()).as("oversized datagrams").isPositive();
            assertThat(target.socketCounters().receiverFailures()).as("exceptions escaping the core").isZero();
            for (int i = 0; i < net.size(); i++) {
                if (i != 3) {
                    assertThat(await(net.node(i).findHolders(key), "lookup from node " + i + " after the blast"))
                            .contains(holder);
                }
            }
        }
    }
}
