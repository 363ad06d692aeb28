package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.ClientVersion;
import org.kadshare.overlay.krpc.EncodedKeyword;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.GetKeywordsQuery;
import org.kadshare.overlay.krpc.GetManifestsQuery;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcDecodeException;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.PutKeywordQuery;
import org.kadshare.overlay.krpc.PutManifestQuery;
import org.kadshare.overlay.krpc.SampleInfohashesQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.KeywordRecordCodec;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.NodeIdentity;

/**
 * Measures, for every KRPC method, the size of a node's reply to a query from an address that
 * never received a token from it, against the size of the query, with the node's tables as full
 * as they get: k contacts near every target, 50 holders and 4 manifests under the key asked
 * for, 40 more keys with a holder each (so a sample_infohashes answer is full), the node itself a
 * holder, and 8 keyword records of the longest names under a word. Prints the table kept in
 * docs/PROTOCOL.md.
 */
class AmplificationTest {
    private static final Optional<ClientVersion> V = Optional.of(ClientVersion.KADSHARE);
    private static final double LIMIT = 3.5;
    private static final InetSocketAddress SPOOFED = address(10, 9, 0, 1, 6881);

    private final VirtualTime time = new VirtualTime();
    private final Map<InetSocketAddress, List<byte[]>> sent = new LinkedHashMap<>();
    private final SplittableRandom random = new SplittableRandom(5);
    private DhtNode node;
    private ContentId content;
    private NodeId key;
    private NodeId wordKey;
    private int tid;

    private static InetSocketAddress address(int a, int b, int c, int d, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}),
                    port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeEach
    void fillTheNode() {
        DhtEnvironment base = time.environment(1, (to, bytes) -> sent.computeIfAbsent(to, a -> new ArrayList<>())
                .add(bytes));
        DhtEnvironment env = new DhtEnvironment() {
            @Override
            public long nowMillis() {
                return base.nowMillis();
            }

            @Override
            public void send(InetSocketAddress to, byte[] datagram) {
                base.send(to, datagram);
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return base.schedule(delayMillis, task);
            }

            @Override
            public java.util.random.RandomGenerator random() {
                return base.random();
            }

            @Override
            public InetAddress localAddressToward(InetSocketAddress peer) {
                return address(10, 0, 0, 1, 1).getAddress();
            }
        };
        node = new DhtNode(env, NodeId.random(random), DhtConfig.defaults());
        for (int i = 0; i < 64; i++) {
            ask(address(10, 2, i, 1, 6881), new PingQuery(nextTid(), NodeId.random(random), V));
        }
        byte[] idBytes = new byte[ContentId.LENGTH_BYTES];
        random.nextBytes(idBytes);
        content = ContentId.of(idBytes);
        key = NodeId.of(content.dhtKey());
        for (int i = 0; i < 50; i++) {
            InetSocketAddress holder = address(10, 3, i, 1, 6881);
            NodeId holderId = NodeId.random(random);
            Token token = ask(holder, new GetPeersQuery(nextTid(), holderId, key, V)).token().orElseThrow();
            ask(holder, new AnnouncePeerQuery(nextTid(), holderId, key, 4870, false, token, V));
        }
        for (int i = 0; i < 4; i++) {
            InetSocketAddress publisher = address(10, 4, i, 1, 6881);
            NodeId publisherId = NodeId.random(random);
            Token token = ask(publisher, new GetManifestsQuery(nextTid(), publisherId, key, V)).token().orElseThrow();
            ask(publisher, new PutManifestQuery(nextTid(), publisherId, key, manifest(), token, V));
        }
        for (int i = 0; i < 40; i++) {
            InetSocketAddress holder = address(10, 5, i, 1, 6881);
            NodeId holderId = NodeId.random(random);
            NodeId other = NodeId.random(random);
            Token token = ask(holder, new GetPeersQuery(nextTid(), holderId, other, V)).token().orElseThrow();
            ask(holder, new AnnouncePeerQuery(nextTid(), holderId, other, 4870, false, token, V));
        }
        wordKey = NodeId.of(Keywords.dhtKey(WORD));
        for (int i = 0; i < KrpcResponse.MAX_KEYWORDS; i++) {
            InetSocketAddress publisher = address(10, 5, i, 1, 6881);
            NodeId publisherId = NodeId.random(random);
            Token token = ask(publisher, new GetKeywordsQuery(nextTid(), publisherId, wordKey, Optional.empty(), V))
                    .token().orElseThrow();
            ask(publisher, new PutKeywordQuery(nextTid(), publisherId, wordKey, keyword(), token, V));
        }
        node.announce(key, 4870);
    }

    private static final String WORD = "holiday";

    /** A record as large as they get: a 255-byte name, a 127-byte media type. */
    private EncodedKeyword keyword() {
        String name = WORD + "-" + "x".repeat(255 - WORD.length() - 1);
        String type = "application/" + "y".repeat(127 - 12);
        NodeIdentity publisher = NodeIdentity.generate();
        Manifest m = Manifest.sign(content, Long.MAX_VALUE, name, type, Long.MAX_VALUE, publisher);
        return EncodedKeyword.of(KeywordRecordCodec.encode(KeywordRecord.sign(WORD, m, publisher)));
    }

    private EncodedManifest manifest() {
        return EncodedManifest.of(ManifestCodec.encode(Manifest.sign(content, 1_048_576,
                "holiday-photos-2026-summer-trip.tar", "application/x-tar", 1_700_000_000L, NodeIdentity.generate())));
    }

    private TransactionId nextTid() {
        tid++;
        return TransactionId.of(new byte[] {(byte) (tid >>> 8), (byte) tid});
    }

    private KrpcResponse ask(InetSocketAddress from, KrpcMessage query) {
        KrpcMessage reply = decode(exchange(from, KrpcCodec.encode(query)));
        assertThat(reply).isInstanceOf(KrpcResponse.class);
        return (KrpcResponse) reply;
    }

    /**
     * The node's one answer to {@code query}. Beside it the node may send a querier it has just
     * added to its table one ping of its own (to verify it), never more: see
     * {@code DhtNodeTest.aForgedSourceIsPingedAtMostTwiceHoweverManyQueriesCarryIt}.
     */
    private byte[] exchange(InetSocketAddress from, byte[] query) {
        List<byte[]> inbox = sent.computeIfAbsent(from, a -> new ArrayList<>());
        int before = inbox.size();
        node.receive(from, query);
        List<byte[]> fresh = inbox.subList(before, inbox.size());
        List<byte[]> answers = fresh.stream().filter(d -> !(decode(d) instanceof KrpcQuery)).toList();
        assertThat(answers).as("one reply").hasSize(1);
        assertThat(fresh.size() - answers.size()).as("pings beside the reply").isLessThanOrEqualTo(1);
        return answers.get(0);
    }

    private static KrpcMessage decode(byte[] datagram) {
        try {
            return KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noReplyToAnUnprovenAddressIsLargerThanThreeAndAHalfTimesItsQuery() {
        NodeId asker = NodeId.random(random);
        Token foreign = Token.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Map<String, byte[]> queries = new LinkedHashMap<>();
        queries.put("ping", KrpcCodec.encode(new PingQuery(nextTid(), asker, V)));
        queries.put("find_node", KrpcCodec.encode(new FindNodeQuery(nextTid(), asker, key, V)));
        queries.put("get_peers (50 holders stored)", KrpcCodec.encode(new GetPeersQuery(nextTid(), asker, key, V)));
        queries.put("get_peers, foreign token", KrpcCodec.encode(new GetPeersQuery(nextTid(), asker, key,
                Optional.of(foreign), V)));
        queries.put("get_manifests (4 stored)", KrpcCodec.encode(new GetManifestsQuery(nextTid(), asker, key, V)));
        queries.put("sample_infohashes (41 keys stored)", KrpcCodec.encode(new SampleInfohashesQuery(nextTid(), asker,
                key, Optional.empty(), V)));
        queries.put("sample_infohashes, foreign token", KrpcCodec.encode(new SampleInfohashesQuery(nextTid(), asker,
                key, Optional.of(foreign), V)));
        queries.put("get_keywords (8 stored)", KrpcCodec.encode(new GetKeywordsQuery(nextTid(), asker, wordKey,
                Optional.empty(), V)));
        queries.put("put_keyword, bad token", KrpcCodec.encode(new PutKeywordQuery(nextTid(), asker, wordKey,
                keyword(), foreign, V)));
        queries.put("announce_peer, bad token", KrpcCodec.encode(new AnnouncePeerQuery(nextTid(), asker, key, 4870,
                false, foreign, V)));
        queries.put("put_manifest, bad token", KrpcCodec.encode(new PutManifestQuery(nextTid(), asker, key,
                manifest(), foreign, V)));
        queries.put("unknown method", "d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q4:vote1:t2:xy1:y1:qe"
                .getBytes(StandardCharsets.US_ASCII));
        queries.put("malformed get_peers", "d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q9:get_peers1:t2:xy1:y1:qe"
                .getBytes(StandardCharsets.US_ASCII));
        StringBuilder table = new StringBuilder("| query | query bytes | reply bytes | ratio |\n");
        for (Map.Entry<String, byte[]> q : queries.entrySet()) {
            byte[] reply = exchange(SPOOFED, q.getValue());
            double ratio = (double) reply.length / q.getValue().length;
            table.append(String.format("| %s | %d | %d | %.2f |%n", q.getKey(), q.getValue().length, reply.length,
                    ratio));
            assertThat(ratio).as(q.getKey() + ": " + reply.length + " bytes for " + q.getValue().length)
                    .isLessThanOrEqualTo(LIMIT);
        }
        System.out.print(table);
    }

    @Test
    void anUnprovenGetManifestsWithholdsTheManifestsAndTheTokenInItsReplyGetsThem() {
        NodeId asker = NodeId.random(random);
        KrpcResponse first = ask(SPOOFED, new GetManifestsQuery(nextTid(), asker, key, V));
        assertThat(first.manifests()).isEmpty();
        assertThat(first.withheld()).isEqualTo(4);
        assertThat(first.nodes()).hasSize(8);
        KrpcResponse second = ask(SPOOFED, new GetManifestsQuery(nextTid(), asker, key, first.token(), V));
        assertThat(second.manifests()).hasSize(4);
        assertThat(second.withheld()).isZero();
    }

    @Test
    void anUnprovenGetKeywordsWithholdsTheRecordsAndTheTokenInItsReplyGetsThemInOneDatagram() {
        NodeId asker = NodeId.random(random);
        KrpcResponse first = ask(SPOOFED, new GetKeywordsQuery(nextTid(), asker, wordKey, Optional.empty(), V));
        assertThat(first.keywords()).isEmpty();
        assertThat(first.withheld()).isEqualTo(KrpcResponse.MAX_KEYWORDS);
        KrpcResponse second = ask(SPOOFED, new GetKeywordsQuery(nextTid(), asker, wordKey, first.token(), V));
        assertThat(second.keywords()).hasSize(KrpcResponse.MAX_KEYWORDS);
        assertThat(second.nodes()).hasSize(8);
        assertThat(second.withheld()).isZero();
    }

    @Test
    void anUnprovenGetPeersGetsWhatFitsTheNodeItselfFirstAndTheTokenGetsAll() {
        NodeId asker = NodeId.random(random);
        KrpcResponse first = ask(SPOOFED, new GetPeersQuery(nextTid(), asker, key, V));
        assertThat(first.values()).isNotEmpty();
        assertThat(first.values().get(0).address()).as("the node lists itself at its TCP port")
                .isEqualTo(address(10, 0, 0, 1, 4870));
        assertThat(first.values().size() + first.withheld()).isEqualTo(50);
        KrpcResponse second = ask(SPOOFED, new GetPeersQuery(nextTid(), asker, key, first.token(), V));
        assertThat(second.values()).hasSize(50);
        assertThat(second.withheld()).isZero();
    }

    @Test
    void anUnprovenSampleInfohashesWithholdsSamplesAndTheTokenInItsReplyGetsAFullSample() {
        NodeId asker = NodeId.random(random);
        KrpcResponse first = ask(SPOOFED, new SampleInfohashesQuery(nextTid(), asker, key, Optional.empty(), V));
        assertThat(first.sample()).isPresent();
        assertThat(first.sample().get().num()).isEqualTo(41);
        assertThat(first.sample().get().samples().size() + first.withheld()).isEqualTo(DhtNode.MAX_SAMPLES);
        assertThat(first.withheld()).isPositive();
        assertThat(first.nodes()).as("the crawl still learns whom to ask next").isNotEmpty();
        KrpcResponse second = ask(SPOOFED, new SampleInfohashesQuery(nextTid(), asker, key, first.token(), V));
        assertThat(second.sample().get().samples()).hasSize(DhtNode.MAX_SAMPLES).doesNotHaveDuplicates()
                .containsAll(first.sample().get().samples());
        assertThat(second.withheld()).isZero();
        assertThat(second.nodes()).hasSize(8);
        assertThat(second.sample().get().intervalSeconds()).isEqualTo(DhtNode.SAMPLE_INTERVAL_MILLIS / 1000);
    }

    @Test
    void aWithdrawnKeyIsNoLongerAnsweredWithTheNodeItselfAsAHolder() {
        NodeId asker = NodeId.random(random);
        assertThat(node.withdraw(key)).isTrue();
        KrpcResponse first = ask(SPOOFED, new GetPeersQuery(nextTid(), asker, key, V));
        KrpcResponse all = ask(SPOOFED, new GetPeersQuery(nextTid(), asker, key, first.token(), V));
        assertThat(all.values()).hasSize(50).noneMatch(p -> p.address().equals(address(10, 0, 0, 1, 4870)));
    }
}
