package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.NodeInfo;
import org.kadshare.overlay.krpc.TransactionId;

/** How nodes notice departed contacts, and how they do not mistake dropped queries for departures. */
class ContactFailureTest {

    /** Peers that accept 5 queries a second per source IP, 10 in a burst (every node here is 127.0.0.1). */
    private static DhtConfig rateLimited() {
        DhtConfig d = DhtConfig.defaults().withOnePerIp(false);
        return new DhtConfig(d.k(), d.alpha(), d.replacementCacheSize(), d.maxFailures(),
                d.questionableAfterMillis(), d.bucketRefreshMillis(), d.onePerIp(), d.queryTimeoutMillis(),
                d.rttInitialMillis(), d.rttMinMillis(), d.rttMaxMillis(), d.maxPendingQueries(),
                d.tokenRotationMillis(), 5, 10, d.rateLimitedSources(),
                d.holderTtlMillis(), d.reannounceMillis(), d.holdersPerKey(), d.holderRecords(),
                d.holdersPerKeyPerIp(), d.holdersReturned(), d.manifestTtlMillis(), d.republishMillis(),
                d.manifestsPerKey(), d.manifestsPerKeyPerIp(), d.manifestRecords(), d.cacheMinTtlMillis(), d.maintenanceMillis(),
                d.diversity(), d.lookupPaths());
    }

    private static DhtNode holding(DhtNodeTest.Network net, NodeId id, DhtNode except) {
        return net.nodes.stream().filter(n -> n != except && n.routingTable().contains(id)).findFirst().orElseThrow();
    }

    private static InetSocketAddress addressOf(DhtNodeTest.Network net, DhtNode node) {
        return net.endpoints.entrySet().stream().filter(e -> e.getValue() == node).findFirst().orElseThrow().getKey();
    }

    /** Ports the node at {@code fromPort} sent datagrams to, after {@code fromLine} of the log. */
    private static List<Integer> sendsOf(DhtNodeTest.Network net, int fromPort, int fromLine) {
        List<Integer> to = new ArrayList<>();
        for (String line : net.log.subList(fromLine, net.log.size())) {
            String[] parts = line.split(" ")[1].split(">");
            if (Integer.parseInt(parts[0]) == fromPort) {
                to.add(Integer.parseInt(parts[1]));
            }
        }
        return to;
    }

    @Test
    void fiftyConcurrentLookupsThroughANodeWhosePeersRateLimitItLeaveItsContactsInItsTable() {
        // The busy node paces its queries for peers with the default limits; these accept fewer.
        DhtNodeTest.Network net = new DhtNodeTest.Network();
        DhtNode busy = net.addNode(0, 30, DhtConfig.defaults().withOnePerIp(false));
        for (int i = 1; i < 5; i++) {
            net.addNode(i, 30, rateLimited());
        }
        for (int i = 1; i < 5; i++) {
            net.await(net.nodes.get(i).join(List.of(net.addressOf(0))));
        }
        int before = busy.routingTableSize();
        assertThat(before).isEqualTo(4);
        List<CompletableFuture<List<InetSocketAddress>>> gets = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            gets.add(busy.findHolders(NodeId.random(new SplittableRandom(300 + i))));
        }
        net.time.runFor(60_000);
        assertThat(gets).allMatch(CompletableFuture::isDone);
        long dropped = net.nodes.stream().mapToLong(n -> n.counters().rateLimited()).sum();
        assertThat(dropped).as("the peers did drop queries of the busy node").isPositive();
        assertThat(busy.routingTableSize()).as("dropped queries are not departures").isEqualTo(before);
    }

    @Test
    void aLookupInASmallNetworkEndsWithoutWaitingForADepartedContact() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(8, 31);
        DhtNode departed = net.nodes.get(3);
        DhtNode asker = holding(net, departed.id(), departed);
        net.endpoints.remove(net.addressOf(3));
        CompletableFuture<FoundHolders> found = asker.lookupHolders(departed.id());
        LookupTrace trace = net.await(found).trace();
        assertThat(trace.responded()).isBetween(1, 6);
        assertThat(trace.durationMillis()).as("ended at the soft timeout, before any hard one")
                .isLessThan(RttEstimator.HARD_MIN_MILLIS);
    }

    @Test
    void aContactThatStopsAnsweringLeavesTheTableAfterOneFailedQueryAndAFailedPingAndTheAnswers() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(8, 32);
        DhtNode departed = net.nodes.get(3);
        DhtNode asker = holding(net, departed.id(), departed);
        net.endpoints.remove(net.addressOf(3));
        net.await(asker.lookupHolders(departed.id()));
        assertThat(asker.routingTable().contains(departed.id())).as("one lookup was enough").isFalse();
        InetSocketAddress probeAt = new InetSocketAddress(net.addressOf(0).getAddress(), 9990);
        List<KrpcMessage> answers = net.probe(probeAt);
        InetSocketAddress askerAt = addressOf(net, asker);
        net.deliver(probeAt, askerAt, KrpcCodec.encode(new FindNodeQuery(TransactionId.of(new byte[] {4, 2}),
                NodeId.random(new SplittableRandom(9)), departed.id(), Optional.empty())));
        net.time.runFor(1_000);
        assertThat(answers).filteredOn(m -> !(m instanceof KrpcQuery)).as("answers (beside a ping to verify the asker)")
                .singleElement().isInstanceOfSatisfying(KrpcResponse.class, r -> assertThat(
                r.nodes().stream().map(NodeInfo::id)).isNotEmpty().doesNotContain(departed.id()));
    }

    @Test
    void aDepartedContactThatAnotherNodeStillNamesIsNotAskedAgain() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(8, 33);
        DhtNode departed = net.nodes.get(3);
        DhtNode asker = holding(net, departed.id(), departed);
        int askerPort = addressOf(net, asker).getPort();
        net.endpoints.remove(net.addressOf(3));
        net.await(asker.lookupHolders(departed.id()));
        assertThat(asker.routingTable().contains(departed.id())).isFalse();
        assertThat(net.nodes.stream().filter(n -> n != asker && n != departed)
                .anyMatch(n -> n.routingTable().contains(departed.id())))
                .as("another node still has it in its table and names it").isTrue();
        int mark = net.log.size();
        net.await(asker.lookupHolders(departed.id()));
        assertThat(sendsOf(net, askerPort, mark)).isNotEmpty().doesNotContain(net.addressOf(3).getPort());
    }
}
