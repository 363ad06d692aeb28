package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A node on an overloaded host (or behind a slow path): every answer it gets comes 1.5 to 3 s
 * after its query, while its RTT estimate, measured before on a fast network, puts the hard
 * timeout at its 1 s floor. Real {@link DhtNode}s in virtual time.
 */
class OverloadedHostLookupTest {
    private static final int NODES = 24;
    private static final int PORT = 4870;

    private static DhtNodeTest.Network network(long seed) {
        DhtNodeTest.Network net = new DhtNodeTest.Network();
        net.distinctIps = true;
        return DhtNodeTest.Network.joined(net, NODES, seed, DhtConfig.defaults());
    }

    /** A node that neither announced nor stores any record: it has to find them. */
    private static int getter(DhtNodeTest.Network net, int holder) {
        for (int i = 1; i < NODES; i++) {
            if (i != holder && net.nodes.get(i).status().holderRecords() == 0) {
                return i;
            }
        }
        throw new AssertionError("every node stores a record");
    }

    /** Every datagram to {@code node} from now on comes 1.5 to 3 s late. */
    private static void overload(DhtNodeTest.Network net, int node, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        net.extraDelayTo.put(net.addressOf(node), () -> 1_500 + random.nextLong(1_500));
    }

    @Test
    void everyAnswerComingOneAndAHalfToThreeSecondsLateStillGivesACompleteLookup() {
        DhtNodeTest.Network net = network(21);
        NodeId before = NodeId.random(new SplittableRandom(30));
        NodeId key = NodeId.random(new SplittableRandom(31));
        int holder = 3;
        assertThat(net.await(net.nodes.get(holder).announce(before, PORT))).isGreaterThanOrEqualTo(4);
        assertThat(net.await(net.nodes.get(holder).announce(key, PORT))).isGreaterThanOrEqualTo(4);
        int g = getter(net, holder);
        DhtNode getter = net.nodes.get(g);
        InetSocketAddress held = new InetSocketAddress(net.addressOf(holder).getAddress(), PORT);
        FoundHolders fast = net.await(getter.lookupHolders(before));
        assertThat(fast.holders()).contains(held);
        overload(net, g, 5);
        FoundHolders slow = net.await(getter.lookupHolders(key));
        assertThat(slow.holders()).as("found although every answer came past the 1 s hard timeout").contains(held);
        assertThat(slow.trace().responded()).as("contacts that answered, against %s on the fast network", fast.trace())
                .isGreaterThanOrEqualTo(Math.min(fast.trace().responded(), 2 * DhtConfig.defaults().k()));
        FoundHolders next = net.await(getter.lookupHolders(NodeId.random(new SplittableRandom(32))));
        assertThat(next.trace().responded()).as("the next lookup waits long enough from the start")
                .isGreaterThanOrEqualTo(DhtConfig.defaults().k());
    }
}
