package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.krpc.ConnectToMeQuery;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PeerInfo;
import org.kadshare.overlay.krpc.ReverseConnectQuery;
import org.kadshare.overlay.krpc.ReverseCookie;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;

/**
 * Reverse connections through the DHT, in virtual time: a holder that cannot be reached is listed
 * as relayed, a getter's connect_to_me reaches it through its relay as reverse_connect naming the
 * getter's own source address, and nobody can make a relay or a holder reach anyone else.
 */
class ReverseConnectionsTest {
    private static final int GETTER_PORT = 5555;

    private record Dial(NodeId key, InetSocketAddress getter, ReverseCookie cookie) {}

    private static ReverseCookie cookie(int seed) {
        byte[] b = new byte[ReverseCookie.LENGTH_BYTES];
        new SplittableRandom(seed).nextBytes(b);
        return ReverseCookie.of(b);
    }

    private static DhtNodeTest.Network network() {
        DhtNodeTest.Network net = new DhtNodeTest.Network();
        net.distinctSubnets = true;
        return DhtNodeTest.Network.joined(net, 10, 23, DhtConfig.defaults());
    }

    private record Found(List<InetSocketAddress> holders, List<List<InetSocketAddress>> relayed) {}

    private static Found lookUp(DhtNodeTest.Network net, DhtNode getter, NodeId key) {
        List<List<InetSocketAddress>> relayed = new ArrayList<>();
        FoundHolders found = net.await(getter.lookupHolders(key, h -> { }, (h, relay) -> relayed.add(
                java.util.Arrays.asList(h, relay))));
        return new Found(found.holders(), relayed);
    }

    @Test
    void aGetterReachesAnUnreachableHolderThroughItsRelayWhichNamesTheGettersOwnAddress() {
        DhtNodeTest.Network net = network();
        DhtNode holder = net.nodes.get(3);
        List<Dial> dials = new ArrayList<>();
        holder.reverseDialer((key, getter, cookie) -> dials.add(new Dial(key, getter, cookie)));
        holder.announceUnreachable(true);
        NodeId key = NodeId.random(new SplittableRandom(77));
        assertThat(net.await(holder.announce(key, 4870))).isPositive();

        DhtNode getter = net.nodes.get(6);
        Found found = lookUp(net, getter, key);
        InetSocketAddress holderTcp = new InetSocketAddress(net.addressOf(3).getAddress(), 4870);
        assertThat(found.holders()).doesNotContain(holderTcp);
        assertThat(found.relayed()).isNotEmpty().allSatisfy(pair -> assertThat(pair.get(0)).isEqualTo(holderTcp));
        InetSocketAddress relay = found.relayed().stream().map(p -> p.get(1)).filter(r -> r != null)
                .findFirst().orElseThrow();

        assertThat(net.await(getter.connectToMe(relay, key, holderTcp, GETTER_PORT, cookie(1)))).isNull();
        assertThat(dials).containsExactly(new Dial(key,
                new InetSocketAddress(net.addressOf(6).getAddress(), GETTER_PORT), cookie(1)));
    }

    /** Pings from {@code from} that the network's nodes receive, counted as they arrive. */
    private static int[] countPingsFrom(DhtNodeTest.Network net, InetSocketAddress from) {
        int[] pings = {0};
        for (InetSocketAddress at : List.copyOf(net.endpoints.keySet())) {
            DatagramReceiver node = net.endpoints.get(at);
            net.endpoints.put(at, (sender, bytes) -> {
                try {
                    if (sender.equals(from) && KrpcCodec.decode(bytes) instanceof org.kadshare.overlay.krpc.PingQuery) {
                        pings[0]++;
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                node.receive(sender, bytes);
            });
        }
        return pings;
    }

    @Test
    void anUnreachableHolderPingsItsRelaysOftenEnoughToKeepItsNatBindingsOpen() {
        DhtNodeTest.Network net = network();
        DhtNode holder = net.nodes.get(3);
        holder.announceUnreachable(true);
        int relays = net.await(holder.announce(NodeId.random(new SplittableRandom(81)), 4870));
        int[] pings = countPingsFrom(net, net.addressOf(3));
        net.time.runFor(100_000);
        assertThat(pings[0]).isGreaterThanOrEqualTo(relays * (int) (100_000 / ReverseConnections.KEEP_OPEN_MILLIS));

        DhtNodeTest.Network reachable = network();
        reachable.await(reachable.nodes.get(3).announce(NodeId.random(new SplittableRandom(81)), 4870));
        int[] none = countPingsFrom(reachable, reachable.addressOf(3));
        reachable.time.runFor(100_000);
        assertThat(none[0]).isLessThan(relays);
    }

    @Test
    void aHolderThatCanBeReachedIsListedAsUsualAndNothingIsRelayed() {
        DhtNodeTest.Network net = network();
        NodeId key = NodeId.random(new SplittableRandom(78));
        net.await(net.nodes.get(3).announce(key, 4870));
        Found found = lookUp(net, net.nodes.get(6), key);
        assertThat(found.holders()).contains(new InetSocketAddress(net.addressOf(3).getAddress(), 4870));
        assertThat(found.relayed()).isEmpty();
    }

    @Test
    void aHolderDialsNoOneForAReverseConnectFromANodeItDidNotAnnounceTo() {
        DhtNodeTest.Network net = network();
        DhtNode holder = net.nodes.get(3);
        List<Dial> dials = new ArrayList<>();
        holder.reverseDialer((key, getter, cookie) -> dials.add(new Dial(key, getter, cookie)));
        holder.announceUnreachable(true);
        NodeId key = NodeId.random(new SplittableRandom(79));
        net.await(holder.announce(key, 4870));

        InetSocketAddress stranger = new InetSocketAddress("11.9.9.9", 7000);
        List<KrpcMessage> answers = net.probe(stranger);
        holder.receive(stranger, KrpcCodec.encode(new ReverseConnectQuery(TransactionId.of(new byte[] {1}),
                NodeId.random(new SplittableRandom(5)), key, new PeerInfo(new InetSocketAddress("11.8.8.8", 80)),
                cookie(2), Optional.empty())));
        net.time.runFor(1_000);

        assertThat(dials).isEmpty();
        assertThat(answers).singleElement().isInstanceOfSatisfying(KrpcError.class,
                e -> assertThat(e.code()).isEqualTo(KrpcError.PROTOCOL));
    }

    /** A relay that stores one unreachable holder's record, and a getter at {@code getterIp} with its token. */
    private static final class Relay {
        final DhtNodeTest.Network net = new DhtNodeTest.Network();
        final DhtNode node;
        final NodeId key = NodeId.random(new SplittableRandom(80));
        final InetSocketAddress holderUdp = new InetSocketAddress("11.5.0.1", 6881);
        final InetSocketAddress holderTcp = new InetSocketAddress("11.5.0.1", 4870);
        final List<KrpcMessage> toHolder;
        final java.util.Map<InetSocketAddress, List<KrpcMessage>> probes = new java.util.HashMap<>();

        Relay() {
            node = net.addNode(0, 9, DhtConfig.defaults());
            toHolder = probe(holderUdp);
            Token token = tokenFor(holderUdp);
            node.receive(holderUdp, KrpcCodec.encode(new org.kadshare.overlay.krpc.AnnouncePeerQuery(
                    TransactionId.of(new byte[] {9}), NodeId.random(new SplittableRandom(10)), key, 4870, false, token,
                    Optional.empty(), true)));
            net.time.runFor(1_000);
            toHolder.clear();
        }

        /** The token the relay answers {@code from}'s get_peers with (its answers go to a probe there). */
        Token tokenFor(InetSocketAddress from) {
            List<KrpcMessage> got = probe(from);
            node.receive(from, KrpcCodec.encode(new GetPeersQuery(TransactionId.of(new byte[] {7}),
                    NodeId.random(new SplittableRandom(from.hashCode())), key, Optional.empty(), Optional.empty())));
            net.time.runFor(1_000);
            return got.stream().filter(m -> m instanceof KrpcResponse).map(m -> ((KrpcResponse) m).token().orElseThrow())
                    .findFirst().orElseThrow();
        }

        /** What the relay sent to {@code at}. */
        List<KrpcMessage> probe(InetSocketAddress at) {
            return probes.computeIfAbsent(at, net::probe);
        }

        void connectToMe(InetSocketAddress from, Token token, InetSocketAddress holder, int tid) {
            node.receive(from, KrpcCodec.encode(new ConnectToMeQuery(TransactionId.of(new byte[] {(byte) tid}),
                    NodeId.random(new SplittableRandom(from.hashCode())), key, new PeerInfo(holder), GETTER_PORT,
                    cookie(tid), token, Optional.empty())));
            net.time.runFor(100);
        }

        List<ReverseConnectQuery> forwarded() {
            return toHolder.stream().filter(m -> m instanceof ReverseConnectQuery).map(m -> (ReverseConnectQuery) m)
                    .toList();
        }
    }

    @Test
    void theRelayListsTheHolderAsRelayedOnlyToAQuerierWithItsTokenAndForwardsToTheAnnouncesSource() {
        Relay relay = new Relay();
        InetSocketAddress getter = new InetSocketAddress("11.6.0.1", 7000);
        List<KrpcMessage> answers = relay.probe(getter);
        relay.node.receive(getter, KrpcCodec.encode(new GetPeersQuery(TransactionId.of(new byte[] {1}),
                NodeId.random(new SplittableRandom(3)), relay.key, Optional.empty(), Optional.empty())));
        relay.net.time.runFor(100);
        KrpcResponse first = (KrpcResponse) answers.stream().filter(m -> m instanceof KrpcResponse).findFirst()
                .orElseThrow();
        assertThat(first.relayed()).isEmpty();
        assertThat(first.values()).isEmpty();
        assertThat(first.withheld()).isEqualTo(1);
        answers.clear();
        relay.node.receive(getter, KrpcCodec.encode(new GetPeersQuery(TransactionId.of(new byte[] {2}),
                NodeId.random(new SplittableRandom(3)), relay.key, first.token(), Optional.empty())));
        relay.net.time.runFor(100);
        KrpcResponse second = (KrpcResponse) answers.stream().filter(m -> m instanceof KrpcResponse).findFirst()
                .orElseThrow();
        assertThat(second.relayed()).containsExactly(new PeerInfo(relay.holderTcp));
        assertThat(second.values()).isEmpty();

        relay.connectToMe(getter, second.token().orElseThrow(), relay.holderTcp, 3);
        assertThat(relay.forwarded()).singleElement().satisfies(q -> {
            assertThat(q.getter()).isEqualTo(new PeerInfo(new InetSocketAddress("11.6.0.1", GETTER_PORT)));
            assertThat(q.cookie()).isEqualTo(cookie(3));
            assertThat(q.infoHash()).isEqualTo(relay.key);
        });
    }

    @Test
    void aConnectToMeFromAForgedSourceWithoutItsTokenIsRefusedAndForwardsNothing() {
        Relay relay = new Relay();
        Token someoneElses = relay.tokenFor(new InetSocketAddress("11.6.0.1", 7000));
        InetSocketAddress victim = new InetSocketAddress("11.7.0.1", 7000);
        List<KrpcMessage> toVictim = relay.probe(victim);
        relay.connectToMe(victim, someoneElses, relay.holderTcp, 4);
        assertThat(relay.forwarded()).isEmpty();
        assertThat(toVictim).singleElement().isInstanceOfSatisfying(KrpcError.class,
                e -> assertThat(e.code()).isEqualTo(KrpcError.PROTOCOL));
    }

    @Test
    void aConnectToMeForAHolderTheRelayDoesNotKeepIsRefused() {
        Relay relay = new Relay();
        InetSocketAddress getter = new InetSocketAddress("11.6.0.1", 7000);
        Token token = relay.tokenFor(getter);
        relay.connectToMe(getter, token, new InetSocketAddress("11.8.0.1", 4870), 5);
        assertThat(relay.forwarded()).isEmpty();
    }

    @Test
    void aRelayForwardsSixAMinuteForOneHolderAndAgainAMinuteLater() {
        Relay relay = new Relay();
        for (int i = 0; i < 10; i++) {
            InetSocketAddress getter = new InetSocketAddress("11.6." + i + ".1", 7000);
            relay.connectToMe(getter, relay.tokenFor(getter), relay.holderTcp, 10 + i);
        }
        assertThat(relay.forwarded()).hasSize(6);
        relay.net.time.runFor(60_000);
        InetSocketAddress late = new InetSocketAddress("11.6.20.1", 7000);
        relay.connectToMe(late, relay.tokenFor(late), relay.holderTcp, 40);
        assertThat(relay.forwarded()).hasSize(7);
    }
}
