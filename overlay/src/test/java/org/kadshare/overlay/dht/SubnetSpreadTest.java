package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Why a test network must spread its sites over distinct /16s: the eclipse defence trusts at most
 * {@link AddressDiversity#DEFAULT_PER_SUBNET} nodes of one /16 among those a record is stored on
 * and among a lookup's closest, so in a network whose nodes all share one /16 a record sits on two
 * nodes, and a lookup that loses one of them to packet loss can end without the record (9 nodes,
 * seeds 1 to 10, every node's key looked up by the 8 others: 1 of 720 lookups missed at 1 % loss,
 * 20 at 5 %; none with a /16 per node).
 */
class SubnetSpreadTest {
    private static DhtNodeTest.Network network(boolean slash16PerNode, double loss, long seed) {
        DhtNodeTest.Network net = new DhtNodeTest.Network();
        net.distinctSubnets = true;
        net.distinctSlash16 = slash16PerNode;
        net.lossProbability = loss;
        return DhtNodeTest.Network.joined(net, 9, seed, DhtConfig.defaults());
    }

    @Test
    void aRecordInANetworkWithinOneSlash16IsStoredOnTwoNodesAndOnEveryCloseNodeWhenEachHasItsOwn() {
        NodeId key = NodeId.random(new SplittableRandom(5));
        DhtNodeTest.Network one = network(false, 0, 3);
        assertThat(one.await(one.nodes.get(4).announce(key, 4870))).isEqualTo(AddressDiversity.DEFAULT_PER_SUBNET);
        DhtNodeTest.Network spread = network(true, 0, 3);
        assertThat(spread.await(spread.nodes.get(4).announce(key, 4870))).isEqualTo(8);
    }

    @Test
    void withASlash16PerNodeEveryLookupFindsTheHolderOverFivePercentLoss() {
        for (long seed = 1; seed <= 4; seed++) {
            DhtNodeTest.Network net = network(true, 0.05, seed);
            for (int h = 0; h < 9; h += 2) {
                NodeId key = NodeId.random(new SplittableRandom(seed * 100 + h));
                net.await(net.nodes.get(h).announce(key, 4870));
                InetSocketAddress holder = new InetSocketAddress(net.addressOf(h).getAddress(), 4870);
                for (int g = 0; g < 9; g++) {
                    if (g != h) {
                        assertThat(net.await(net.nodes.get(g).findHolders(key)))
                                .as("seed %d: node %d looking up node %d's key", seed, g, h).contains(holder);
                    }
                }
            }
        }
    }
}
