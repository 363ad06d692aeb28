package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Lookups over an in-memory network of nodes whose routing tables know their true neighbours. */
class LookupTest {
    private static final int K = 8;

    /** A fake network: each node answers find_node from a full view of the network. */
    static final class Network {
        final VirtualTime time = new VirtualTime();
        final DhtEnvironment env = time.environment(1, (to, bytes) -> { });
        final List<Contact> nodes = new ArrayList<>();
        final Map<NodeId, Long> latencyMillis = new HashMap<>();
        final Set<NodeId> dead = new HashSet<>();
        final Map<NodeId, List<InetSocketAddress>> storedPeers = new HashMap<>();
        final List<NodeId> queryLog = new ArrayList<>();
        int maxPlainInFlight;
        final RttEstimator rtt = new RttEstimator(1000, 50, 5000);

        Network(int size, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < size; i++) {
                NodeId id = NodeId.random(random);
                nodes.add(RoutingTableTest.contact(id, i + 1, 6881));
                latencyMillis.put(id, 20L + random.nextInt(60));
            }
        }

        List<Contact> closestTo(NodeId target, int n) {
            return nodes.stream().sorted(Lookup.byDistanceTo(target)).limit(n).toList();
        }

        /** Each node knows the K nodes closest to itself plus a few random far ones. */
        List<Contact> answerOf(Contact node, NodeId target) {
            List<Contact> view = new ArrayList<>(closestTo(node.id(), K + 1));
            int idx = nodes.indexOf(node);
            for (int j = 1; j <= 6; j++) {
                view.add(nodes.get((idx * 7 + j * 13) % nodes.size()));
            }
            return view.stream().distinct().filter(c -> !c.equals(node))
                    .sorted(Lookup.byDistanceTo(target)).limit(K).toList();
        }

        Lookup.Querier querier() {
            return (lookup, to) -> {
                queryLog.add(to.id());
                int plain = 0;
                for (Contact c : nodes) {
                    if (lookup.stateOf(c.id()) == Lookup.State.WAITING) {
                        plain++;
                    }
                }
                maxPlainInFlight = Math.max(maxPlainInFlight, plain);
                if (dead.contains(to.id())) {
                    return;
                }
                time.schedule(latencyMillis.get(to.id()), () -> lookup.responded(to, new Lookup.Response(
                        answerOf(to, lookup.target()),
                        storedPeers.getOrDefault(to.id(), List.of()), List.of(), new byte[] {1})));
            };
        }

        Lookup.Result run(NodeId target, NodeId self, List<Contact> seeds) {
            Lookup.Result[] out = new Lookup.Result[1];
            Lookup lookup = new Lookup(target, self, seeds, LookupConfig.defaults(), env, rtt, querier(),
                    r -> out[0] = r);
            lookup.start();
            time.runFor(60_000);
            assertThat(lookup.isDone()).as("lookup finished").isTrue();
            return out[0];
        }
    }

    private static List<Contact> contactsOf(Lookup.Result r) {
        return r.closest().stream().map(Lookup.Responder::contact).toList();
    }

    @Test
    void findsTheTrueKClosestNodesFromAFarSeed() {
        Network net = new Network(300, 42);
        NodeId target = NodeId.random(new SplittableRandom(5));
        Lookup.Result r = net.run(target, null, List.of(net.nodes.get(0)));
        assertThat(contactsOf(r)).containsExactlyElementsOf(net.closestTo(target, K));
        assertThat(r.queried()).isLessThan(100);
        assertThat(net.maxPlainInFlight).isLessThanOrEqualTo(3);
    }

    @Test
    void deadContactsAreFailedAndSkippedAndTheLookupStillEnds() {
        Network net = new Network(300, 43);
        NodeId target = NodeId.random(new SplittableRandom(6));
        List<Contact> trueClosest = net.closestTo(target, 12);
        for (int i = 0; i < 4; i++) {
            net.dead.add(trueClosest.get(i).id());
        }
        Lookup.Result r = net.run(target, null, List.of(net.nodes.get(0)));
        List<Contact> alive = net.nodes.stream().filter(c -> !net.dead.contains(c.id()))
                .sorted(Lookup.byDistanceTo(target)).limit(K).toList();
        assertThat(contactsOf(r)).containsExactlyElementsOf(alive);
    }

    @Test
    void slowContactPastItsSoftTimeoutWidensTheLookupAndItsLateAnswerStillCounts() {
        Network net = new Network(100, 44);
        NodeId target = NodeId.random(new SplittableRandom(7));
        for (int i = 0; i < 20; i++) {
            net.rtt.sample(50);                     // soft timeout is now ~50-ish ms
        }
        Contact slow = net.closestTo(target, 1).get(0);
        net.latencyMillis.put(slow.id(), 2_000L);   // beyond soft, within the 5 s hard timeout
        Lookup.Result[] out = new Lookup.Result[1];
        Lookup lookup = new Lookup(target, null, List.of(slow, net.nodes.get(1), net.nodes.get(2)),
                LookupConfig.defaults(), net.env, net.rtt, net.querier(), r -> out[0] = r);
        lookup.start();
        assertThat(net.queryLog).hasSize(3);
        net.time.runFor(1_000);
        assertThat(lookup.stateOf(slow.id())).isEqualTo(Lookup.State.SOFT_TIMED_OUT);
        assertThat(net.queryLog.size()).isGreaterThan(3);
        net.time.runFor(10_000);
        assertThat(out[0]).isNotNull();
        assertThat(contactsOf(out[0]).get(0)).isEqualTo(slow);
    }

    @Test
    void collectsFoundHoldersAndNamesTheClosestResponderThatLackedThem() {
        Network net = new Network(200, 45);
        NodeId target = NodeId.random(new SplittableRandom(8));
        List<Contact> closest = net.closestTo(target, K);
        InetSocketAddress holder = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9999);
        net.storedPeers.put(closest.get(0).id(), List.of(holder));
        net.storedPeers.put(closest.get(2).id(), List.of(holder));
        Lookup.Result r = net.run(target, null, List.of(net.nodes.get(0)));
        assertThat(r.peers()).containsExactly(holder);
        assertThat(r.cacheAt().contact()).isEqualTo(closest.get(1));
    }

    @Test
    void lookupWithoutValuesNamesNoCacheNode() {
        Network net = new Network(50, 46);
        Lookup.Result r = net.run(NodeId.random(new SplittableRandom(9)), null, List.of(net.nodes.get(0)));
        assertThat(r.cacheAt()).isNull();
        assertThat(r.peers()).isEmpty();
    }

    @Test
    void lookupWithNoSeedsEndsAtOnceEmpty() {
        Network net = new Network(5, 47);
        Lookup.Result r = net.run(NodeId.random(new SplittableRandom(9)), null, List.of());
        assertThat(r.closest()).isEmpty();
        assertThat(r.queried()).isZero();
    }

    @Test
    void ownIdIsNeverQueried() {
        Network net = new Network(100, 48);
        Contact me = net.nodes.get(5);
        net.run(me.id(), me.id(), List.of(net.nodes.get(0)));
        assertThat(net.queryLog).doesNotContain(me.id());
    }

    @Test
    void sameSeedGivesTheSameQuerySequence() {
        List<List<NodeId>> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Network net = new Network(200, 49);
            net.dead.add(net.nodes.get(17).id());
            net.run(NodeId.random(new SplittableRandom(3)), null, List.of(net.nodes.get(0), net.nodes.get(1)));
            runs.add(net.queryLog);
        }
        assertThat(runs.get(0)).isNotEmpty().isEqualTo(runs.get(1));
    }

    @Test
    void rttEstimatorFollowsSamplesWithinItsClamp() {
        RttEstimator rtt = new RttEstimator(1000, 100, 3000);
        assertThat(rtt.softTimeoutMillis()).isEqualTo(1000);
        rtt.sample(10);
        assertThat(rtt.softTimeoutMillis()).isEqualTo(100);
        for (int i = 0; i < 50; i++) {
            rtt.sample(400);
        }
        assertThat(rtt.softTimeoutMillis()).isBetween(400L, 500L);
        rtt.sample(100_000);
        assertThat(rtt.softTimeoutMillis()).isEqualTo(3000);
    }

}
