package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.krpc.ConnectBackQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PeerInfo;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.TransactionId;

/** connect_back: a node connects to the querier's own source address, a bounded number of times. */
class ConnectBackTest {
    private final VirtualTime time = new VirtualTime();
    private final List<InetSocketAddress> probed = new ArrayList<>();
    private final List<InetSocketAddress> pinged = new ArrayList<>();
    /** How the pinged port answers the UDP probe: with the ping's own transaction ID, another one, or not. */
    private String udpAnswer = "same transaction";
    private final List<KrpcMessage> replies = new ArrayList<>();
    private final DhtNode node = new DhtNode(new DhtEnvironment() {
        private final RandomGenerator random = new SplittableRandom(5);

        @Override
        public long nowMillis() {
            return time.nowMillis();
        }

        @Override
        public void send(InetSocketAddress to, byte[] datagram) {
            try {
                KrpcMessage m = KrpcCodec.decode(datagram);
                if (!(m instanceof KrpcQuery)) {
                    replies.add(m); // the node also pings a querier it has just added
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            return time.schedule(delayMillis, task);
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        public void probeTcp(InetSocketAddress to, long timeoutMillis, Consumer<Boolean> onResult) {
            probed.add(to);
            time.schedule(10, () -> onResult.accept(to.getPort() == 4870));
        }

        @Override
        public void probeUdp(InetSocketAddress to, byte[] datagram, long timeoutMillis,
                Consumer<Optional<byte[]>> onAnswer) {
            pinged.add(to);
            KrpcQuery ping;
            try {
                ping = (KrpcQuery) KrpcCodec.decode(datagram);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(ping).isInstanceOf(PingQuery.class);
            TransactionId t = udpAnswer.equals("same transaction") ? ping.transactionId()
                    : TransactionId.of(new byte[] {9, 9});
            time.schedule(udpAnswer.equals("none") ? timeoutMillis : 20, () -> onAnswer.accept(udpAnswer.equals("none")
                    ? Optional.empty() : Optional.of(KrpcCodec.encode(new KrpcResponse(t, ping.senderId(), List.of(),
                            List.of(), Optional.empty(), List.of(), 0, Optional.empty())))));
        }
    }, NodeId.random(new SplittableRandom(1)), DhtConfig.defaults());

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    private void ask(InetSocketAddress from, int port, int tid) {
        node.receive(from, KrpcCodec.encode(new ConnectBackQuery(TransactionId.of(new byte[] {(byte) tid}),
                NodeId.random(new SplittableRandom(100 + tid)), port, Optional.empty())));
        time.runFor(100);
    }

    /** {@code size} nodes, each in its own /16, joined through node 0. */
    private static DhtNodeTest.Network joinedNetwork(int size) {
        DhtNodeTest.Network net = new DhtNodeTest.Network();
        net.distinctSubnets = true;
        for (int i = 0; i < size; i++) {
            net.addNode(i, 41);
        }
        for (int i = 1; i < size; i++) {
            net.await(net.nodes.get(i).join(List.of(net.addressOf(0))));
        }
        return net;
    }

    private void askWithUdp(InetSocketAddress from, int port, int udpPort, int tid) {
        node.receive(from, KrpcCodec.encode(new ConnectBackQuery(TransactionId.of(new byte[] {(byte) tid}),
                NodeId.random(new SplittableRandom(100 + tid)), port, OptionalInt.of(udpPort), Optional.empty())));
        time.runFor(ConnectBacks.CONNECT_BACK_TIMEOUT_MILLIS + 100);
    }

    @Test
    void aConnectBackWithAUdpPortPingsItAtTheQueriersSourceAddressAndSaysWhetherThePingWasAnswered() {
        askWithUdp(at("11.77.5.1", 9000), 4870, 4871, 1);
        assertThat(pinged).containsExactly(at("11.77.5.1", 4871));
        KrpcResponse r = (KrpcResponse) replies.get(replies.size() - 1);
        assertThat(r.reached()).contains(true);
        assertThat(r.udpReached()).contains(true);
        udpAnswer = "another transaction";
        askWithUdp(at("11.77.6.1", 9000), 4870, 4871, 2);
        assertThat(((KrpcResponse) replies.get(replies.size() - 1)).udpReached()).as("not an answer to our ping")
                .contains(false);
        udpAnswer = "none";
        askWithUdp(at("11.77.7.1", 9000), 4871, 4871, 3);
        KrpcResponse silent = (KrpcResponse) replies.get(replies.size() - 1);
        assertThat(silent.reached()).contains(false);
        assertThat(silent.udpReached()).contains(false);
    }

    @Test
    void aConnectBackWithoutAUdpPortPingsNothingAndSaysNothingOfUdp() {
        ask(at("11.77.5.1", 9000), 4870, 1);
        assertThat(pinged).isEmpty();
        assertThat(((KrpcResponse) replies.get(0)).udpReached()).isEmpty();
    }

    @Test
    void theUdpPingIsUnderTheSameLimitAsTheConnection() {
        askWithUdp(at("11.0.0.1", 9000), 4870, 4871, 1);
        askWithUdp(at("11.0.0.1", 9001), 4870, 4871, 2);
        assertThat(pinged).hasSize(1);
        for (int i = 2; i <= 12; i++) {
            askWithUdp(at("11.0.0." + i, 9000), 4870, 4871, i + 1);
        }
        assertThat(pinged).hasSize(ConnectBackLimit.PER_MINUTE);
        assertThat(probed).hasSize(ConnectBackLimit.PER_MINUTE);
    }

    @Test
    void theAskerCountsThePeersThatSaidWhetherTheirPingGotIn() {
        DhtNodeTest.Network net = joinedNetwork(6);
        // The simulated environment has no second socket: every ping "goes unanswered".
        ConnectBackResult r = net.await(net.nodes.get(3).checkReachable(4870, 4871, 3));
        assertThat(r.answered()).isPositive().isEqualTo(r.asked());
        assertThat(r.udpAnswered()).isEqualTo(r.answered());
        assertThat(r.udpReached()).isZero();
        ConnectBackResult tcpOnly = net.await(net.nodes.get(4).checkReachable(4870, 3));
        assertThat(tcpOnly.udpAnswered()).isZero();
    }

    @Test
    void theNodeConnectsToTheQueriersSourceAddressAtTheNamedPortAndSaysWhetherItOpened() {
        ask(at("11.77.5.1", 9000), 4870, 1);
        ask(at("11.77.6.1", 9000), 4871, 2);
        assertThat(probed).containsExactly(at("11.77.5.1", 4870), at("11.77.6.1", 4871));
        assertThat(replies).hasSize(2).allMatch(m -> m instanceof KrpcResponse);
        KrpcResponse opened = (KrpcResponse) replies.get(0);
        assertThat(opened.reached()).contains(true);
        assertThat(opened.requester()).contains(new PeerInfo(at("11.77.5.1", 9000)));
        assertThat(((KrpcResponse) replies.get(1)).reached()).contains(false);
    }

    @Test
    void oneAddressGetsOneProbeAMinuteAndEveryoneTogetherTen() {
        ask(at("11.0.0.1", 9000), 4870, 1);
        ask(at("11.0.0.1", 9001), 4871, 2);
        assertThat(probed).hasSize(1);
        assertThat(replies.get(1)).isInstanceOfSatisfying(KrpcError.class,
                e -> assertThat(e.code()).isEqualTo(KrpcError.SERVER));
        for (int i = 2; i <= 12; i++) {
            ask(at("11.0.0." + i, 9000), 4870, i + 1);
        }
        assertThat(probed).hasSize(ConnectBackLimit.PER_MINUTE);
        time.runFor(60_000);
        ask(at("11.0.0.1", 9000), 4870, 20);
        assertThat(probed).hasSize(ConnectBackLimit.PER_MINUTE + 1);
        assertThat(replies.get(replies.size() - 1)).isInstanceOf(KrpcResponse.class);
    }

    @Test
    void aNodeWithOnlyPrivateContactsAsksNoOneAndSaysSo() {
        ConnectBackResult r = node.checkReachable(4870, 3).join();
        assertThat(r).isEqualTo(new ConnectBackResult(0, 0, 0));
        assertThat(replies).isEmpty();
    }

    @Test
    void nodesLearnTheAddressTheirPeersSeeThemAtOnceThreeSubnetsAgree() {
        DhtNodeTest.Network net = joinedNetwork(12);
        net.await(net.nodes.get(7).findHolders(NodeId.random(new SplittableRandom(9))));
        assertThat(net.nodes.get(7).externalAddress()).contains(net.addressOf(7));
    }
}
