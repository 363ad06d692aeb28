package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.kadshare.overlay.krpc.TransactionId;

/** connect_back: a node connects to the querier's own source address, a bounded number of times. */
class ConnectBackTest {
    private final VirtualTime time = new VirtualTime();
    private final List<InetSocketAddress> probed = new ArrayList<>();
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
    }, NodeId.random(new SplittableRandom(1)), DhtConfig.defaults());

    private static InetSocketAddress at(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    private void ask(InetSocketAddress from, int port, int tid) {
        node.receive(from, KrpcCodec.encode(new ConnectBackQuery(TransactionId.of(new byte[] {(byte) tid}),
                NodeId.random(new SplittableRandom(100 + tid)), port, Optional.empty())));
        time.runFor(100);
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
        DhtNodeTest.Network net = new DhtNodeTest.Network();
        net.distinctSubnets = true;
        for (int i = 0; i < 12; i++) {
            net.addNode(i, 41);
        }
        for (int i = 1; i < 12; i++) {
            net.await(net.nodes.get(i).join(List.of(net.addressOf(0))));
        }
        net.await(net.nodes.get(7).findHolders(NodeId.random(new SplittableRandom(9))));
        assertThat(net.nodes.get(7).externalAddress()).contains(net.addressOf(7));
    }
}
