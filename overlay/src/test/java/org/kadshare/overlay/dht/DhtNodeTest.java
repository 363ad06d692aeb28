package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.NodeIdentity;

/** Twenty DHT nodes on an in-memory, deterministic network with virtual time. */
class DhtNodeTest {
    private static final InetAddress LOOPBACK = loopback();
    private static final DhtConfig CONFIG = DhtConfig.defaults().withOnePerIp(false);

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Delivers datagrams after a fixed per-pair latency; a probe address collects what it gets. */
    static final class Network {
        final VirtualTime time = new VirtualTime();
        final Map<InetSocketAddress, DatagramReceiver> endpoints = new LinkedHashMap<>();
        final List<DhtNode> nodes = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        /** Datagrams to these addresses are lost while the count is positive, one per datagram. */
        final Map<InetSocketAddress, Integer> losses = new LinkedHashMap<>();

        /** Each node on its own IP address (10.0.x.y) instead of all on 127.0.0.1. */
        boolean distinctIps;
        /** Each node in its own public /24 (11.0.x.1), which {@link #distinctIps} then does not matter for. */
        boolean distinctSubnets;
        /** With {@link #distinctSubnets}, each node in its own public /16 (11.x.0.1) as well. */
        boolean distinctSlash16;
        /** Every datagram is lost with this probability (drawn from {@link #lossRandom}). */
        double lossProbability;
        final java.util.SplittableRandom lossRandom = new java.util.SplittableRandom(99);
        /** Datagrams to these addresses come this much later than the latency says (an overloaded host). */
        final Map<InetSocketAddress, java.util.function.LongSupplier> extraDelayTo = new LinkedHashMap<>();

        DhtNode addNode(int index, long seed) {
            return addNode(index, seed, distinctIps || distinctSubnets ? DhtConfig.defaults() : CONFIG);
        }

        DhtNode addNode(int index, long seed, DhtConfig config) {
            InetSocketAddress self = addressOf(index);
            DhtEnvironment env = time.environment(seed * 31 + index, (to, bytes) -> deliver(self, to, bytes));
            DhtNode node = new DhtNode(env, NodeId.random(new SplittableRandom(seed * 1000 + index)), config);
            endpoints.put(self, node);
            nodes.add(node);
            node.start();
            return node;
        }

        InetSocketAddress addressOf(int index) {
            if (distinctSubnets) {
                return new InetSocketAddress(distinctSlash16 ? "11." + index + ".0.1" : "11.0." + index + ".1", 7000);
            }
            if (!distinctIps) {
                return new InetSocketAddress(LOOPBACK, 7000 + index);
            }
            try {
                return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (index / 250),
                        (byte) (index % 250 + 1)}), 7000);
            } catch (UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        void deliver(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
            log.add(time.nowMillis() + " " + from.getPort() + ">" + to.getPort() + " " + Arrays.hashCode(bytes));
            Integer lose = losses.get(to);
            if (lossProbability > 0 && lossRandom.nextDouble() < lossProbability) {
                return;
            }
            if (lose != null && lose > 0) {
                losses.put(to, lose - 1);
                return;
            }
            java.util.function.LongSupplier extra = extraDelayTo.get(to);
            time.schedule(latencyMillis(from, to) + (extra == null ? 0 : extra.getAsLong()), () -> {
                DatagramReceiver r = endpoints.get(to);
                if (r != null) {
                    r.receive(from, bytes.clone());
                }
            });
        }

        static long latencyMillis(InetSocketAddress from, InetSocketAddress to) {
            return 5 + Math.floorMod(from.getPort() * 31 + to.getPort() * 17, 40);
        }

        /** A bare endpoint that records every datagram sent to it. */
        List<KrpcMessage> probe(InetSocketAddress at) {
            List<KrpcMessage> got = new ArrayList<>();
            endpoints.put(at, (from, bytes) -> {
                try {
                    got.add(KrpcCodec.decode(bytes));
                } catch (Exception e) {
                    throw new AssertionError("node sent an undecodable datagram", e);
                }
            });
            return got;
        }

        <T> T await(CompletableFuture<T> future) {
            time.runFor(60_000);
            assertThat(future).as("future completed in virtual time").isDone();
            return future.join();
        }

        static Network joined(int size, long seed) {
            return joined(new Network(), size, seed, CONFIG);
        }

        static Network joined(int size, long seed, DhtConfig config) {
            return joined(new Network(), size, seed, config);
        }

        static Network joined(Network net, int size, long seed, DhtConfig config) {
            for (int i = 0; i < size; i++) {
                net.addNode(i, seed, config);
            }
            for (int i = 1; i < size; i++) {
                net.await(net.nodes.get(i).join(List.of(net.addressOf(0))));
            }
            return net;
        }
    }

    private static NodeId key(long seed) {
        return NodeId.random(new SplittableRandom(seed));
    }

    @Test
    void nodesJoinThroughOneBootstrapAndFindTheHolderAnotherAnnounced() {
        Network net = Network.joined(20, 1);
        for (DhtNode n : net.nodes) {
            assertThat(n.routingTableSize()).as("table of %s", n.id()).isGreaterThanOrEqualTo(8);
        }
        NodeId key = key(99);
        int accepted = net.await(net.nodes.get(5).announce(key, 6000));
        assertThat(accepted).isGreaterThanOrEqualTo(4);
        List<InetSocketAddress> holders = net.await(net.nodes.get(12).findHolders(key));
        assertThat(holders).containsExactly(new InetSocketAddress(LOOPBACK, 6000));
        assertThat(net.await(net.nodes.get(13).findHolders(key(100)))).isEmpty();
    }

    @Test
    void theBootstrapNodeVerifiesANodeThatJoinedThroughItAndCountsItLive() {
        Network net = new Network();
        DhtNode first = net.addNode(0, 5);
        DhtNode second = net.addNode(1, 5);
        net.await(second.join(List.of(net.addressOf(0))));
        net.time.runFor(5_000);
        assertThat(first.contacts()).as("the first node's contacts after the second joined through it")
                .singleElement().satisfies(c -> {
                    assertThat(c.id()).isEqualTo(second.id());
                    assertThat(c.live()).as("live: it answered the first node's ping").isTrue();
                });
    }

    @Test
    void aForgedSourceIsPingedAtMostTwiceHoweverManyQueriesCarryIt() {
        Network net = Network.joined(2, 6);
        InetSocketAddress forged = new InetSocketAddress(LOOPBACK, 9995);
        List<KrpcMessage> got = net.probe(forged);
        NodeId claimed = key(6);
        for (int i = 0; i < 100; i++) {
            net.deliver(forged, net.addressOf(1), KrpcCodec.encode(new org.kadshare.overlay.krpc.FindNodeQuery(
                    TransactionId.of(new byte[] {(byte) i}), claimed, key(i), Optional.empty())));
            net.time.runFor(200);
        }
        net.time.runFor(60_000);
        assertThat(got).as("what an address that never answers got for 100 queries over 20 s")
                .filteredOn(m -> m instanceof PingQuery).hasSizeBetween(1, 2);
        assertThat(got).filteredOn(m -> m instanceof KrpcResponse).hasSize(100);
    }

    @Test
    void aCrawlFromOneNodeSamplesTheKeysAnnouncedAcrossTheNetwork() {
        Network net = Network.joined(20, 21);
        List<NodeId> announced = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            NodeId key = key(500 + i);
            announced.add(key);
            net.await(net.nodes.get(1 + i).announce(key, 6100 + i));
        }
        SampledKeys sampled = net.await(net.nodes.get(19).sampleKeys(64, 30_000));
        assertThat(sampled.keys()).extracting(SampledKeys.Key::key).containsAll(announced);
        assertThat(sampled.queries()).isLessThanOrEqualTo(64);
        assertThat(sampled.answered()).isGreaterThanOrEqualTo(10);
        SampledKeys few = net.await(net.nodes.get(19).sampleKeys(2, 30_000));
        assertThat(few.queries()).isEqualTo(2);
    }

    /** Regression: with two nodes the record lives only at the other node, and a lookup never asks itself. */
    @Test
    void inATwoNodeNetworkEachFindsWhatTheOtherPublished() {
        Network net = Network.joined(2, 11);
        NodeId key = key(42);
        assertThat(net.await(net.nodes.get(0).announce(key, 6010))).isEqualTo(1);
        assertThat(net.await(net.nodes.get(1).findHolders(key)))
                .containsExactly(new InetSocketAddress(LOOPBACK, 6010));

        byte[] content = new byte[32];
        new SplittableRandom(6).nextBytes(content);
        ContentId id = ContentId.of(content);
        byte[] encoded = ManifestCodec.encode(Manifest.sign(id, 99, "b.txt", "text/plain", 1_700_000_000L,
                NodeIdentity.generate()));
        net.await(net.nodes.get(0).putManifest(encoded));
        List<byte[]> found = net.await(net.nodes.get(1).findManifests(NodeId.of(id.dhtKey())));
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).isEqualTo(encoded);
    }

    @Test
    void holderRecordsAgeOutUnlessReannounced() {
        Network net = Network.joined(12, 2);
        NodeId key = key(7);
        net.await(net.nodes.get(3).announce(key, 6001));
        net.nodes.get(3).stop();
        net.time.runFor(CONFIG.holderTtlMillis() + CONFIG.maintenanceMillis());
        assertThat(net.await(net.nodes.get(8).findHolders(key))).isEmpty();
    }

    @Test
    void reannouncingKeepsHolderRecordsAlive() {
        Network net = Network.joined(12, 3);
        NodeId key = key(8);
        net.await(net.nodes.get(3).announce(key, 6002));
        net.time.runFor(2 * CONFIG.holderTtlMillis());
        assertThat(net.await(net.nodes.get(8).findHolders(key)))
                .containsExactly(new InetSocketAddress(LOOPBACK, 6002));
    }

    @Test
    void manifestPutOnOneNodeIsFoundFromAnother() {
        Network net = Network.joined(20, 4);
        byte[] content = new byte[32];
        new SplittableRandom(5).nextBytes(content);
        ContentId id = ContentId.of(content);
        byte[] encoded = ManifestCodec.encode(Manifest.sign(id, 1234, "a.txt", "text/plain", 1_700_000_000L,
                NodeIdentity.generate()));
        assertThat(net.await(net.nodes.get(2).putManifest(encoded))).isGreaterThanOrEqualTo(4);
        List<byte[]> found = net.await(net.nodes.get(17).findManifests(NodeId.of(id.dhtKey())));
        assertThat(found).hasSize(1);
        assertThat(found.get(0)).isEqualTo(encoded);
    }

    @Test
    void putManifestRefusesAManifestThatDoesNotVerify() {
        Network net = Network.joined(3, 5);
        assertThat(net.nodes.get(1).putManifest(new byte[] {'d', 'e'})).isCompletedExceptionally();
    }

    @Test
    void garbageDatagramsChangeNoTableAndAreCounted() {
        Network net = Network.joined(8, 6);
        DhtNode target = net.nodes.get(3);
        List<Contact> before = target.routingTable().contacts();
        InetSocketAddress attacker = new InetSocketAddress(LOOPBACK, 9999);
        List<KrpcMessage> replies = net.probe(attacker);
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < 40; i++) {
            byte[] junk = new byte[random.nextInt(1, 200)];
            random.nextBytes(junk);
            target.receive(attacker, junk);
        }
        target.receive(attacker, new byte[0]);
        target.receive(attacker, "d1:t2:aa1:y1:qe".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        net.time.runFor(1000);
        assertThat(target.routingTable().contacts()).isEqualTo(before);
        DhtCounters c = target.counters();
        assertThat(c.garbage() + c.malformed() + c.rateLimited()).isEqualTo(42);
        assertThat(replies).allSatisfy(m -> assertThat(m).isInstanceOf(KrpcError.class));
    }

    @Test
    void announceWithABadTokenIsAnsweredWithProtocolError() {
        Network net = Network.joined(4, 7);
        InetSocketAddress client = new InetSocketAddress(LOOPBACK, 9998);
        List<KrpcMessage> replies = net.probe(client);
        AnnouncePeerQuery forged = new AnnouncePeerQuery(TransactionId.of(new byte[] {4, 2}), key(1), key(2),
                6000, false, Token.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), Optional.empty());
        net.deliver(client, net.addressOf(1), KrpcCodec.encode(forged));
        net.time.runFor(1000);
        assertThat(replies).singleElement().isInstanceOfSatisfying(KrpcError.class,
                e -> assertThat(e.code()).isEqualTo(KrpcError.PROTOCOL));
        assertThat(net.await(net.nodes.get(2).findHolders(key(2)))).isEmpty();
    }

    @Test
    void queryWithAnUnknownMethodIsAnsweredWithMethodUnknown() {
        Network net = Network.joined(3, 11);
        InetSocketAddress client = new InetSocketAddress(LOOPBACK, 9995);
        List<KrpcMessage> replies = net.probe(client);
        String query = "d1:ad2:id20:abcdefghij0123456789e1:q10:frobnicate1:t2:aa1:y1:qe";
        net.deliver(client, net.addressOf(1), query.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        net.time.runFor(1000);
        assertThat(replies).singleElement().isInstanceOfSatisfying(KrpcError.class,
                e -> assertThat(e.code()).isEqualTo(KrpcError.METHOD_UNKNOWN));
        assertThat(net.nodes.get(1).counters().malformed()).isEqualTo(1);
    }

    @Test
    void crashedNodeIsDroppedFromTheTablesOfNodesThatQueryIt() {
        Network net = Network.joined(10, 12);
        DhtNode crashed = net.nodes.get(4);
        DhtNode asker = net.nodes.stream().filter(n -> n != crashed && n.routingTable().contains(crashed.id()))
                .findFirst().orElseThrow();
        net.endpoints.remove(net.addressOf(4));
        for (int i = 0; i < CONFIG.maxFailures(); i++) {
            net.await(asker.findHolders(crashed.id()));
        }
        assertThat(asker.routingTable().contains(crashed.id())).isFalse();
    }

    @Test
    void replyMatchingNoPendingQueryIsCountedAndDropped() {
        Network net = Network.joined(4, 8);
        DhtNode node = net.nodes.get(2);
        int size = node.routingTableSize();
        InetSocketAddress stranger = new InetSocketAddress(LOOPBACK, 9997);
        node.receive(stranger, KrpcCodec.encode(KrpcResponse.ofId(TransactionId.of(new byte[] {9, 9}),
                key(3), Optional.empty())));
        assertThat(node.counters().unknownReplies()).isEqualTo(1);
        assertThat(node.routingTableSize()).isEqualTo(size);
    }

    @Test
    void floodFromOneAddressIsRateLimited() {
        Network net = Network.joined(2, 9);
        InetSocketAddress flooder = new InetSocketAddress(LOOPBACK, 9996);
        List<KrpcMessage> replies = net.probe(flooder);
        DhtNode node = net.nodes.get(1);
        for (int i = 0; i < 200; i++) {
            node.receive(flooder, KrpcCodec.encode(new PingQuery(TransactionId.of(new byte[] {(byte) i}),
                    key(4), Optional.empty())));
        }
        net.time.runFor(1000);
        assertThat(replies).filteredOn(m -> !(m instanceof org.kadshare.overlay.krpc.KrpcQuery))
                .as("answers (the node also pings the new contact once)").hasSize(CONFIG.queryBurst());
        assertThat(node.counters().rateLimited()).isEqualTo(200 - CONFIG.queryBurst());
    }

    @Test
    void joinAsksABootstrapNodeAgainWhenItsFirstQueryIsLost() {
        Network net = Network.joined(6, 13);
        DhtNode late = net.addNode(6, 13);
        net.losses.put(net.addressOf(0), 1);
        int size = net.await(late.join(List.of(net.addressOf(0))));
        assertThat(net.losses.get(net.addressOf(0))).as("the first find_node was dropped").isZero();
        assertThat(size).isPositive();
    }

    @Test
    void joinGivesUpOnASilentBootstrapAddressAfterThreeQueries() {
        Network net = new Network();
        DhtNode lone = net.addNode(0, 14);
        InetSocketAddress silent = new InetSocketAddress(LOOPBACK, 9994);
        List<KrpcMessage> got = net.probe(silent);
        CompletableFuture<Integer> joined = lone.join(List.of(silent));
        net.time.runFor(2_500);
        assertThat(joined).as("still retrying").isNotDone();
        net.time.runFor(6_000);                     // attempts at 0, 1 and 3 s; the last times out at 8 s
        assertThat(joined).isCompletedWithValue(0);
        assertThat(got).hasSize(BootstrapQuery.ATTEMPTS)
                .allSatisfy(m -> assertThat(m).isInstanceOf(org.kadshare.overlay.krpc.FindNodeQuery.class));
    }

    @Test
    void aNodeLeftWithNoContactsJoinsAgainThroughItsBootstrapAndAnnouncesAtOnce() {
        Network net = Network.joined(6, 15);
        DhtNode first = net.nodes.get(0);
        DatagramReceiver away = net.endpoints.remove(net.addressOf(0));
        DhtNode late = net.addNode(6, 15);
        assertThat(net.await(late.join(List.of(net.addressOf(0))))).isZero();
        NodeId key = key(15);
        net.await(late.announce(key, 6015));
        net.endpoints.put(net.addressOf(0), away);
        net.time.runFor(CONFIG.maintenanceMillis() + 30_000);
        assertThat(late.routingTableSize()).isPositive();
        assertThat(net.await(net.nodes.get(3).findHolders(key)))
                .as("announced again right after the rejoin, long before the 15-min re-announce")
                .contains(new InetSocketAddress(LOOPBACK, 6015));
        assertThat(first.routingTableSize()).isPositive();
    }

    @Test
    void findNodeAnswersNeverNameTheAskerItself() {
        Network net = Network.joined(6, 17);
        InetSocketAddress client = new InetSocketAddress(LOOPBACK, 9993);
        List<KrpcMessage> replies = net.probe(client);
        NodeId clientId = key(17);
        net.deliver(client, net.addressOf(2), KrpcCodec.encode(new PingQuery(TransactionId.of(new byte[] {1}),
                clientId, Optional.empty())));
        net.time.runFor(1_000);
        assertThat(net.nodes.get(2).routingTable().contains(clientId)).as("an answered querier is kept").isTrue();
        net.deliver(client, net.addressOf(2), KrpcCodec.encode(new org.kadshare.overlay.krpc.FindNodeQuery(
                TransactionId.of(new byte[] {2}), clientId, clientId, Optional.empty())));
        net.time.runFor(1_000);
        assertThat(replies).filteredOn(m -> !(m instanceof org.kadshare.overlay.krpc.KrpcQuery))
                .as("answers (the node also pings the new contact)").hasSize(2).last()
                .isInstanceOfSatisfying(KrpcResponse.class, r -> {
            assertThat(r.nodes()).isNotEmpty();
            assertThat(r.nodes()).noneMatch(n -> n.id().equals(clientId));
        });
    }

    @Test
    void aWithdrawnKeyIsNoLongerRenewedAndItsRecordsExpire() {
        Network net = Network.joined(12, 18);
        DhtNode publisher = net.nodes.get(4);
        NodeId kept = key(18);
        NodeId dropped = key(19);
        net.await(publisher.announce(kept, 6018));
        net.await(publisher.announce(dropped, 6019));
        assertThat(publisher.withdraw(dropped)).isTrue();
        assertThat(publisher.withdraw(dropped)).as("nothing left to withdraw").isFalse();
        net.time.runFor(CONFIG.holderTtlMillis() + 2 * CONFIG.maintenanceMillis());
        assertThat(net.await(net.nodes.get(9).findHolders(kept))).as("still re-announced")
                .contains(new InetSocketAddress(LOOPBACK, 6018));
        assertThat(net.await(net.nodes.get(9).findHolders(dropped))).as("withdrawn, then expired").isEmpty();
    }

    @Test
    void lookupHoldersTellsInWhichRoundTheRecordCameBack() {
        Network net = Network.joined(20, 16);
        NodeId key = key(16);
        net.await(net.nodes.get(5).announce(key, 6016));
        FoundHolders found = net.await(net.nodes.get(11).lookupHolders(key));
        assertThat(found.holders()).contains(new InetSocketAddress(LOOPBACK, 6016));
        LookupTrace t = found.trace();
        assertThat(t.foundValue()).isTrue();
        assertThat(t.firstValueRound()).isBetween(1, t.rounds());
        assertThat(t.firstValueMillis()).isBetween(1L, t.durationMillis());
        assertThat(t.responded()).isBetween(1, t.queried());
    }

    @Test
    void sameSeedsGiveTheSameRunDatagramForDatagram() {
        List<List<String>> logs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            Network net = Network.joined(10, 10);
            net.await(net.nodes.get(4).announce(key(5), 6003));
            net.await(net.nodes.get(7).findHolders(key(5)));
            logs.add(net.log);
        }
        assertThat(logs.get(0)).isNotEmpty().isEqualTo(logs.get(1));
    }

}
