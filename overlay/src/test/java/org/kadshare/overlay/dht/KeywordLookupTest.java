package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.krpc.ClientVersion;
import org.kadshare.overlay.krpc.EncodedKeyword;
import org.kadshare.overlay.krpc.GetKeywordsQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.PutKeywordQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.KeywordRecordCodec;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.NodeIdentity;

/** put_keyword and get_keywords between DHT cores on the in-memory network of {@link DhtNodeTest}. */
class KeywordLookupTest {
    private static final Optional<ClientVersion> V = Optional.of(ClientVersion.KADSHARE);
    private static final NodeIdentity PUBLISHER = NodeIdentity.generate();

    private static byte[] record(String word, String name, long seed) {
        byte[] content = new byte[ContentId.LENGTH_BYTES];
        new SplittableRandom(seed).nextBytes(content);
        Manifest m = Manifest.sign(ContentId.of(content), 1234, name, "text/plain", 1_700_000_000L, PUBLISHER);
        return KeywordRecordCodec.encode(KeywordRecord.sign(word, m, PUBLISHER));
    }

    private static NodeId keyOf(String word) {
        return NodeId.of(Keywords.dhtKey(word));
    }

    @Test
    void aRecordPutByOneNodeIsFoundByEveryOtherNodeOfTheNetwork() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(20, 31);
        byte[] encoded = record("arq4", "arq4.txt", 1);
        assertThat(net.await(net.nodes.get(0).putKeyword(encoded))).isGreaterThanOrEqualTo(4);
        for (int i = 1; i < 20; i += 6) {
            assertThat(net.await(net.nodes.get(i).findKeywords(keyOf("arq4"), r -> { })))
                    .as("node " + i).singleElement().isEqualTo(encoded);
        }
        assertThat(net.await(net.nodes.get(5).findKeywords(keyOf("nothing"), r -> { }))).isEmpty();
    }

    @Test
    void recordsOfAWithdrawnContentAreNoLongerRenewedAndExpire() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(10, 32);
        byte[] encoded = record("report", "report.pdf", 2);
        net.await(net.nodes.get(0).putKeyword(encoded));
        Manifest m = decode(encoded).manifest();
        assertThat(net.nodes.get(0).withdraw(NodeId.of(m.id().dhtKey()))).isTrue();
        net.time.runFor(DhtConfig.defaults().manifestTtlMillis() + 120_000);
        assertThat(net.await(net.nodes.get(3).findKeywords(keyOf("report"), r -> { }))).isEmpty();
    }

    @Test
    void aPublishedRecordIsRenewedPastItsTtl() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(10, 33);
        byte[] encoded = record("report", "report.pdf", 3);
        net.await(net.nodes.get(0).putKeyword(encoded));
        net.time.runFor(DhtConfig.defaults().manifestTtlMillis() + 120_000);
        assertThat(net.await(net.nodes.get(3).findKeywords(keyOf("report"), r -> { }))).hasSize(1);
    }

    @Test
    void putKeywordRefusesARecordThatDoesNotVerifyOrIsFiledUnderAnotherKey() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(3, 34);
        assertThat(net.nodes.get(1).putKeyword(new byte[] {'d', 'e'})).isCompletedExceptionally();
        InetSocketAddress client = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9990);
        List<KrpcMessage> replies = net.probe(client);
        InetSocketAddress target = net.addressOf(1);
        net.deliver(client, target, KrpcCodec.encode(new GetKeywordsQuery(tid(1), NodeId.of(new byte[20]),
                keyOf("arq4"), Optional.empty(), V)));
        net.time.runFor(1000);
        Token token = ((KrpcResponse) answers(replies).get(0)).token().orElseThrow();
        byte[] forged = record("arq4", "arq4.txt", 4);
        forged[forged.length - 10] ^= 1; // inside the record's signature
        net.deliver(client, target, KrpcCodec.encode(new PutKeywordQuery(tid(2), NodeId.of(new byte[20]),
                keyOf("arq4"), EncodedKeyword.of(forged), token, V)));
        net.deliver(client, target, KrpcCodec.encode(new PutKeywordQuery(tid(3), NodeId.of(new byte[20]),
                keyOf("spam"), EncodedKeyword.of(record("arq4", "arq4.txt", 5)), token, V)));
        net.time.runFor(1000);
        assertThat(answers(replies).subList(1, 3)).allSatisfy(r -> assertThat(r).isInstanceOfSatisfying(KrpcError.class,
                e -> assertThat(e.code()).isEqualTo(KrpcError.PROTOCOL)));
        assertThat(net.await(net.nodes.get(2).findKeywords(keyOf("arq4"), r -> { }))).isEmpty();
        assertThat(net.await(net.nodes.get(2).findKeywords(keyOf("spam"), r -> { }))).isEmpty();
    }

    /** What a node answered, leaving out the ping with which it verifies a new contact. */
    private static List<KrpcMessage> answers(List<KrpcMessage> got) {
        return got.stream().filter(m -> !(m instanceof org.kadshare.overlay.krpc.KrpcQuery)).toList();
    }

    @Test
    void aLookupDropsForgedRecordsAndRecordsOfOtherWordsThatAPeerAnswersWith() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(1, 35);
        DhtNode searcher = net.nodes.get(0);
        InetSocketAddress liar = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9991);
        NodeId liarId = NodeId.random(new SplittableRandom(9));
        byte[] honest = record("arq4", "arq4.txt", 6);
        byte[] forged = record("arq4", "arq4 forged.txt", 7);
        forged[forged.length - 10] ^= 1;
        byte[] otherWord = record("other", "arq4 other.txt", 8);
        List<KrpcMessage> got = new ArrayList<>();
        net.endpoints.put(liar, (from, bytes) -> {
            try {
                KrpcMessage m = KrpcCodec.decode(bytes);
                got.add(m);
                if (m instanceof GetKeywordsQuery q) {
                    net.deliver(liar, from, KrpcCodec.encode(new KrpcResponse(q.transactionId(), liarId, List.of(),
                            List.of(), Optional.of(Token.of(new byte[] {1, 2, 3, 4})), List.of(),
                            List.of(EncodedKeyword.of(forged), EncodedKeyword.of(otherWord),
                                    EncodedKeyword.of(honest)), 0, V, Optional.empty())));
                } else if (m instanceof PingQuery q) {
                    net.deliver(liar, from, KrpcCodec.encode(KrpcResponse.ofId(q.transactionId(), liarId, V)));
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        net.deliver(liar, net.addressOf(0), KrpcCodec.encode(new PingQuery(tid(1), liarId, V)));
        net.time.runFor(1000);
        assertThat(searcher.routingTableSize()).isEqualTo(1);
        assertThat(net.await(searcher.findKeywords(keyOf("arq4"), r -> { }))).singleElement().isEqualTo(honest);
        assertThat(got).anyMatch(m -> m instanceof GetKeywordsQuery);
    }

    private static KeywordRecord decode(byte[] encoded) {
        try {
            return KeywordRecordCodec.decode(encoded);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static TransactionId tid(int n) {
        return TransactionId.of(new byte[] {(byte) 0x7e, (byte) n});
    }
}
