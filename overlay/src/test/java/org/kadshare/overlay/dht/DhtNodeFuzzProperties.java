package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.ClientVersion;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.GetManifestsQuery;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcDecodeException;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.NodeInfo;
import org.kadshare.overlay.krpc.PeerInfo;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.PutManifestQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.NodeIdentity;

/**
 * Random and mutated datagrams fed straight into a {@link DhtNode} that holds records and a routing
 * table, on the in-memory network with virtual time (no sockets, clock stopped): nothing escapes,
 * no record is stored, and the routing table changes only for a datagram that decodes as a
 * well-formed query (which a node may legitimately answer and learn from).
 */
class DhtNodeFuzzProperties {
    private static final InetSocketAddress FUZZER = fuzzer();

    private DhtNodeTest.Network net;
    private DhtNode target;
    private List<byte[]> valid;

    private static InetSocketAddress fuzzer() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 9, 9, 9}), 9999);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeProperty
    void network() {
        net = DhtNodeTest.Network.joined(6, 31);
        target = net.nodes.get(2);
        NodeId key = NodeId.of(new byte[20]);
        net.await(net.nodes.get(4).announce(target.id(), 6000));
        byte[] content = new byte[ContentId.LENGTH_BYTES];
        new SplittableRandom(32).nextBytes(content);
        byte[] manifest = ManifestCodec.encode(Manifest.sign(ContentId.of(content), 5, "f.txt", "text/plain", 0,
                NodeIdentity.generate()));
        net.await(net.nodes.get(5).putManifest(manifest));
        assertThat(target.status().holderRecords() + target.status().manifestRecords())
                .as("target holds records before fuzzing").isPositive();
        TransactionId t = TransactionId.of(new byte[] {7, 7});
        NodeId other = net.nodes.get(1).id();
        Token token = Token.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Optional<ClientVersion> v = Optional.of(ClientVersion.KADSHARE);
        NodeInfo near = new NodeInfo(other, net.addressOf(1));
        valid = List.of(
                KrpcCodec.encode(new PingQuery(t, other, v)),
                KrpcCodec.encode(new FindNodeQuery(t, other, key, v)),
                KrpcCodec.encode(new GetPeersQuery(t, other, target.id(), v)),
                KrpcCodec.encode(new GetManifestsQuery(t, other, key, v)),
                KrpcCodec.encode(new AnnouncePeerQuery(t, other, key, 6881, true, token, v)),
                KrpcCodec.encode(new PutManifestQuery(t, other, NodeId.of(ContentId.of(content).dhtKey()),
                        EncodedManifest.of(manifest), token, v)),
                KrpcCodec.encode(new KrpcResponse(t, other, List.of(near), List.of(new PeerInfo(net.addressOf(3))),
                        Optional.of(token), List.of(EncodedManifest.of(manifest)), v)),
                KrpcCodec.encode(new KrpcError(t, KrpcError.PROTOCOL, "bad", v)));
    }

    @Provide
    Arbitrary<byte[]> datagrams() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(700);
        Arbitrary<byte[]> mutated = Arbitraries.integers().between(0, valid.size() - 1)
                .flatMap(i -> mutationsOf(valid.get(i)));
        return Arbitraries.frequencyOf(Tuple.of(1, random), Tuple.of(3, mutated));
    }

    private static Arbitrary<byte[]> mutationsOf(byte[] base) {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, base.length - 1);
        Arbitrary<Byte> value = Arbitraries.bytes();
        Arbitrary<byte[]> flipped = at.flatMap(i -> value.map(b -> {
            byte[] copy = base.clone();
            copy[i] ^= (byte) (b == 0 ? 1 : b);
            return copy;
        }));
        Arbitrary<byte[]> truncated = at.map(n -> Arrays.copyOf(base, n));
        Arbitrary<byte[]> inserted = at.flatMap(i -> Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(30)
                .map(extra -> {
                    byte[] out = new byte[base.length + extra.length];
                    System.arraycopy(base, 0, out, 0, i);
                    System.arraycopy(extra, 0, out, i, extra.length);
                    System.arraycopy(base, i, out, i + extra.length, base.length - i);
                    return out;
                }));
        Arbitrary<byte[]> cut = at.flatMap(i -> at.map(j -> {
            int from = Math.min(i, j);
            int to = Math.max(i, j);
            byte[] out = new byte[base.length - (to - from)];
            System.arraycopy(base, 0, out, 0, from);
            System.arraycopy(base, to, out, from, base.length - to);
            return out;
        }));
        return Arbitraries.oneOf(flipped, truncated, inserted, cut);
    }

    private static boolean decodesAsQuery(byte[] datagram) {
        try {
            return KrpcCodec.decode(datagram) instanceof KrpcQuery;
        } catch (KrpcDecodeException | RuntimeException e) {
            return false;
        }
    }

    @Property(tries = 300)
    void badDatagramsNeitherEscapeNorChangeRecordsOrTableOfAnswerlessSenders(@ForAll("datagrams") byte[] datagram) {
        DhtStatus before = target.status();
        List<DhtContact> contactsBefore = new ArrayList<>(target.contacts());
        target.receive(FUZZER, datagram.clone());
        DhtStatus after = target.status();
        assertThat(after.holderRecords()).isEqualTo(before.holderRecords());
        assertThat(after.manifestRecords()).isEqualTo(before.manifestRecords());
        if (decodesAsQuery(datagram)) {
            // A well-formed query adds its sender to the table, and the node pings a sender it has
            // just added (to verify it); when that bucket is full, the table asks for one ping to
            // its least recently seen contact instead. Answering with contacts may also check one
            // of them that is due (within a budget per minute). At most two pings: nothing more.
            assertThat(after.pendingQueries()).isBetween(before.pendingQueries(), before.pendingQueries() + 2);
        } else {
            assertThat(target.contacts()).isEqualTo(contactsBefore);
            assertThat(after.pendingQueries()).isEqualTo(before.pendingQueries());
        }
    }
}
