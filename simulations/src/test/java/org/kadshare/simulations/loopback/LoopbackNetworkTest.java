package org.kadshare.simulations.loopback;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.NodeId;

class LoopbackNetworkTest {

    @Test
    void realNodesOnLoopbackFindAHolderAnnouncedByAnotherNode() throws Exception {
        try (LoopbackNetwork net = LoopbackNetwork.start(12, 5)) {
            assertThat(net.size()).isEqualTo(12);
            assertThat(new HashSet<>(net.nodes().stream().map(LoopbackNode::address).toList())).hasSize(12);
            for (LoopbackNode n : net.nodes()) {
                assertThat(n.address().getAddress().isLoopbackAddress()).isTrue();
            }

            NodeId key = NodeId.random(new SplittableRandom(9));
            int accepted = net.node(3).call(dht -> dht.announce(key, 7000)).get(20, SECONDS);
            assertThat(accepted).isPositive();

            List<InetSocketAddress> holders = net.node(10).call(dht -> dht.findHolders(key)).get(20, SECONDS);
            assertThat(holders).contains(new InetSocketAddress(net.node(3).address().getAddress(), 7000));
        }
    }

    @Test
    void closingTheNetworkFreesEveryPort() throws Exception {
        List<InetSocketAddress> used;
        try (LoopbackNetwork net = LoopbackNetwork.start(3, 1)) {
            used = net.nodes().stream().map(LoopbackNode::address).toList();
        }
        for (InetSocketAddress a : used) {
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(a)) {
                assertThat(s.getLocalPort()).isEqualTo(a.getPort());
            }
        }
    }
}
