package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What {@link KrpcTraffic} counts, alone and inside a network of DHT nodes in virtual time. */
class KrpcTrafficTest {

    @Test
    void aLookupDurationGoesToTheFirstBucketWhoseBoundHoldsIt() {
        KrpcTraffic t = new KrpcTraffic();
        t.lookupDone("peers", 50);
        t.lookupDone("peers", 51);
        t.lookupDone("peers", 40_000);
        t.lookupDone("nodes", 0);

        KrpcTraffic.LookupHistogram peers = t.snapshot().lookups().get("peers");
        assertThat(peers.counts()).containsExactly(1, 1, 0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(peers.sumMillis()).isEqualTo(40_101);
        assertThat(peers.total()).isEqualTo(3);
        assertThat(t.snapshot().lookups().get("nodes").counts()[0]).isEqualTo(1);
    }

    @Test
    void everyQuerySentInALosslessNetworkIsCountedOnceByItsSenderAndOnceByItsReceiver() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(10, 41);
        net.await(net.nodes.get(3).announce(NodeId.random(new SplittableRandom(5)), 6100));
        net.await(net.nodes.get(8).findHolders(NodeId.random(new SplittableRandom(5))));

        Map<String, Long> sent = new TreeMap<>();
        Map<String, Long> received = new TreeMap<>();
        long rateLimited = 0;
        for (DhtNode n : net.nodes) {
            n.traffic().queriesOut().forEach((m, c) -> sent.merge(m, c, Long::sum));
            n.traffic().queriesIn().forEach((m, c) -> received.merge(m, c, Long::sum));
            rateLimited += n.counters().rateLimited();
        }
        assertThat(rateLimited).isZero();
        assertThat(sent).containsKeys("find_node", "get_peers", "announce_peer");
        assertThat(received).isEqualTo(sent);
    }

    @Test
    void aFinishedLookupIsCountedByKindWithADurationFromTheCoresClock() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(10, 42);
        DhtNode asker = net.nodes.get(6);
        long before = asker.traffic().lookups().getOrDefault("peers", new KrpcTraffic.LookupHistogram(new long[10], 0))
                .total();
        net.await(asker.findHolders(NodeId.random(new SplittableRandom(9))));

        KrpcTraffic.LookupHistogram peers = asker.traffic().lookups().get("peers");
        assertThat(peers.total()).isEqualTo(before + 1);
        assertThat(peers.sumMillis()).as("datagrams take 5 to 44 ms of virtual time each way").isPositive()
                .isLessThan(60_000);
    }
}
