package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A node that many local users drive at once, among peers that each rate-limit it per IP. */
class BusyNodeTest {
    private static DhtNodeTest.Network network(int size, long seed) {
        DhtNodeTest.Network net = new DhtNodeTest.Network();
        net.distinctIps = true;
        return DhtNodeTest.Network.joined(net, size, seed, DhtConfig.defaults());
    }

    private static long rateLimitedByPeers(DhtNodeTest.Network net) {
        return net.nodes.stream().skip(1).mapToLong(n -> n.counters().rateLimited()).sum();
    }

    @Test
    void fiftyConcurrentFindsOfOneKeyShareOneLookupAndAllFindTheHolder() {
        DhtNodeTest.Network net = network(12, 3);
        NodeId key = NodeId.random(new SplittableRandom(77));
        assertThat(net.await(net.nodes.get(5).announce(key, 4870))).isPositive();
        DhtNode busy = net.nodes.get(0);
        List<CompletableFuture<List<InetSocketAddress>>> finds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            finds.add(busy.findHolders(key));
        }
        net.time.runFor(60_000);
        for (CompletableFuture<List<InetSocketAddress>> f : finds) {
            assertThat(f).isDone();
            assertThat(f.join()).contains(new InetSocketAddress(net.addressOf(5).getAddress(), 4870));
        }
        assertThat(busy.counters().lookupsJoined()).isEqualTo(49);
    }

    @Test
    void aNodeRunningHundredsOfLookupsAtOnceIsNeverRateLimitedByItsPeersAndKeepsItsContacts() {
        DhtNodeTest.Network net = network(12, 4);
        DhtNode busy = net.nodes.get(0);
        net.time.runFor(120_000);
        int contactsBefore = busy.routingTableSize();
        long limitedBefore = rateLimitedByPeers(net);
        SplittableRandom random = new SplittableRandom(9);
        List<CompletableFuture<List<InetSocketAddress>>> finds = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            finds.add(busy.findHolders(NodeId.random(random)));
        }
        net.time.runFor(60_000);
        assertThat(finds).allMatch(CompletableFuture::isDone);
        assertThat(rateLimitedByPeers(net) - limitedBefore).as("queries the peers dropped").isZero();
        assertThat(busy.counters().queriesPaced()).isPositive();
        assertThat(busy.routingTableSize()).isEqualTo(contactsBefore).isEqualTo(11);
    }

    /** Regression: with few peers, queries paced for more than 5 s were refused and the finds came back empty. */
    @Test
    void aHundredConcurrentFindsAmongThreePeersAllFindTheirHolderInsteadOfBeingRefusedByThePacer() {
        DhtNodeTest.Network net = network(4, 5);
        SplittableRandom random = new SplittableRandom(11);
        List<NodeId> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keys.add(NodeId.random(random));
        }
        for (NodeId key : keys) {
            net.nodes.get(1).announce(key, 4870);
        }
        net.time.runFor(120_000);
        DhtNode busy = net.nodes.get(0);
        List<CompletableFuture<List<InetSocketAddress>>> finds = new ArrayList<>();
        for (NodeId key : keys) {
            finds.add(busy.findHolders(key));
        }
        net.time.runFor(120_000);
        InetSocketAddress holder = new InetSocketAddress(net.addressOf(1).getAddress(), 4870);
        assertThat(finds).allMatch(CompletableFuture::isDone);
        assertThat(finds.stream().filter(f -> !f.join().contains(holder)).count()).as("finds without the holder")
                .isZero();
        assertThat(busy.counters().queriesRefused()).as("own queries refused").isZero();
    }
}
