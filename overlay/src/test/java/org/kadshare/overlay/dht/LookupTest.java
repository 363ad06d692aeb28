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
        final RttEstimator rtt = new RttEstimator(1000, 50, 5000, 5000);

        Network(int size, long seed) {
            this(size, seed, 20, 80);
        }

        /** Every node answers {@code minMillis} to {@code maxMillis} after the query. */
        Network(int size, long seed, long minMillis, long maxMillis) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < size; i++) {
                NodeId id = NodeId.random(random);
                nodes.add(RoutingTableTest.contact(id, i + 1, 6881));
                latencyMillis.put(id, minMillis + random.nextLong(maxMillis - minMillis));
            }
        }

        /** The RTT estimate after many answers of {@code millis}, as a node on a fast network has. */
        Network measured(long millis) {
            for (int i = 0; i < 20; i++) {
                rtt.sample(millis);
            }
            return this;
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
        assertThat(r.trace().queried()).isLessThan(100);
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

    /** A lookup whose queries are answered by hand: {@code asked} lists whom it queried, in order. */
    static final class Manual {
        final VirtualTime time = new VirtualTime();
        final DhtEnvironment env = time.environment(1, (to, bytes) -> { });
        final RttEstimator rtt = new RttEstimator(1000, 50, 5000, 5000);
        final List<Contact> asked = new ArrayList<>();
        final Lookup.Result[] out = new Lookup.Result[1];
        final Lookup lookup;

        Manual(NodeId target, List<Contact> seeds, int k) {
            for (int i = 0; i < 20; i++) {
                rtt.sample(50);                     // soft timeout is now about 50 ms
            }
            lookup = new Lookup(target, null, seeds, new LookupConfig(k, 3, 128, 200, 32), env, rtt,
                    (l, to) -> asked.add(to), r -> out[0] = r);
            lookup.start();
        }

        void answer(Contact from, List<Contact> nodes, List<InetSocketAddress> peers) {
            lookup.responded(from, new Lookup.Response(nodes, peers, List.of(), new byte[] {1}));
        }
    }

    @Test
    void aContactPastItsSoftTimeoutIsReplacedAndNoLongerHoldsUpTheEnd() {
        Network net = new Network(50, 44);
        NodeId target = NodeId.random(new SplittableRandom(7));
        List<Contact> c = net.closestTo(target, 5);
        Manual m = new Manual(target, List.of(c.get(0), c.get(1), c.get(2), c.get(3)), 3);
        assertThat(m.asked).containsExactly(c.get(0), c.get(1), c.get(2));
        m.time.runFor(10);
        m.answer(c.get(1), List.of(), List.of());
        m.answer(c.get(2), List.of(), List.of());
        assertThat(m.asked).as("the fourth seed takes the freed slot").contains(c.get(3));
        assertThat(m.out[0]).as("the closest contact is still within its soft timeout").isNull();
        m.answer(c.get(3), List.of(), List.of());
        assertThat(m.out[0]).as("still waiting on the closest, not yet past its soft timeout").isNull();
        m.time.runFor(200);                         // c0 passes its soft timeout, far below the 5 s hard one
        assertThat(m.lookup.stateOf(c.get(0).id())).isEqualTo(Lookup.State.SOFT_TIMED_OUT);
        assertThat(m.out[0]).as("ended without waiting for the hard timeout").isNotNull();
        assertThat(contactsOf(m.out[0])).containsExactly(c.get(1), c.get(2), c.get(3));
        assertThat(m.out[0].trace().durationMillis()).isLessThan(1_000);
    }

    @Test
    void aLateAnswerFromAContactPastItsSoftTimeoutStillCountsWhileTheLookupRuns() {
        Network net = new Network(50, 45);
        NodeId target = NodeId.random(new SplittableRandom(8));
        List<Contact> c = net.closestTo(target, 6);
        Manual m = new Manual(target, List.of(c.get(0), c.get(4), c.get(5)), 3);
        m.time.runFor(m.rtt.softTimeoutMillis() + 1); // all three past their soft timeouts, not the hard one
        assertThat(m.lookup.stateOf(c.get(0).id())).isEqualTo(Lookup.State.SOFT_TIMED_OUT);
        assertThat(m.out[0]).as("nobody answered yet: slow contacts are all there is to wait for").isNull();
        m.answer(c.get(4), List.of(c.get(1), c.get(2)), List.of());
        assertThat(m.asked).contains(c.get(1), c.get(2));
        m.answer(c.get(0), List.of(), List.of());  // late, but the lookup is still asking c1 and c2
        m.answer(c.get(1), List.of(), List.of());
        m.answer(c.get(2), List.of(), List.of());
        assertThat(m.out[0]).isNotNull();
        assertThat(contactsOf(m.out[0])).containsExactly(c.get(0), c.get(1), c.get(2));
    }

    @Test
    void roundsCountTheHopsAlongWhichEachContactWasLearned() {
        Network net = new Network(50, 46);
        NodeId target = NodeId.random(new SplittableRandom(9));
        List<Contact> c = net.closestTo(target, 6);
        InetSocketAddress holder = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9999);
        Manual m = new Manual(target, List.of(c.get(5)), 1);
        m.time.runFor(10);
        m.answer(c.get(5), List.of(c.get(3)), List.of());                 // round 1
        m.time.runFor(10);
        m.answer(c.get(3), List.of(c.get(1)), List.of());                 // round 2
        m.time.runFor(10);
        m.answer(c.get(1), List.of(c.get(0)), List.of(holder));           // round 3, first value
        m.time.runFor(10);
        m.answer(c.get(0), List.of(), List.of(holder));                   // round 4
        LookupTrace trace = m.out[0].trace();
        assertThat(trace.firstValueRound()).isEqualTo(3);
        assertThat(trace.firstValueMillis()).isEqualTo(30);
        assertThat(trace.rounds()).isEqualTo(4);
        assertThat(trace.queried()).isEqualTo(4);
        assertThat(trace.responded()).isEqualTo(4);
        assertThat(trace.durationMillis()).isEqualTo(40);
    }

    @Test
    void aLookupThatFindsNoValueReportsNone() {
        Network net = new Network(50, 47);
        Lookup.Result r = net.run(NodeId.random(new SplittableRandom(10)), null, List.of(net.nodes.get(0)));
        assertThat(r.trace().foundValue()).isFalse();
        assertThat(r.trace().firstValueRound()).isEqualTo(LookupTrace.NONE);
        assertThat(r.trace().rounds()).isPositive();
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
        assertThat(r.trace().queried()).isZero();
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
        RttEstimator rtt = new RttEstimator(1000, 100, 3000, 5000);
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


    @Test
    void withFewerThanKContactsTheLookupEndsOnceTheSilentOnesArePastTheirSoftTimeout() {
        Network net = new Network(50, 50);
        NodeId target = NodeId.random(new SplittableRandom(11));
        List<Contact> c = net.closestTo(target, 3);
        Manual m = new Manual(target, List.of(c.get(0), c.get(1), c.get(2)), K);
        long soft = m.rtt.softTimeoutMillis();
        m.time.runFor(10);
        m.answer(c.get(1), List.of(), List.of());
        m.answer(c.get(2), List.of(), List.of());
        assertThat(m.out[0]).as("the closest is still within its soft timeout").isNull();
        m.time.runFor(soft);
        assertThat(m.out[0]).as("ended at the soft timeout, long before the hard one").isNotNull();
        assertThat(contactsOf(m.out[0])).containsExactly(c.get(1), c.get(2));
        assertThat(m.out[0].trace().durationMillis()).isLessThanOrEqualTo(soft);
    }

    @Test
    void whileNobodyHasAnsweredSilentContactsAreWaitedForUpToTheQueryTimeout() {
        Network net = new Network(50, 51);
        NodeId target = NodeId.random(new SplittableRandom(12));
        List<Contact> c = net.closestTo(target, 2);
        Manual m = new Manual(target, List.of(c.get(0), c.get(1)), K);
        long hard = m.rtt.hardTimeoutMillis();
        assertThat(hard).as("50 ms RTTs: the 1 s floor, far below the 5 s bound").isEqualTo(RttEstimator.HARD_MIN_MILLIS);
        m.time.runFor(m.rtt.softTimeoutMillis() + 1);
        assertThat(m.lookup.stateOf(c.get(0).id())).isEqualTo(Lookup.State.SOFT_TIMED_OUT);
        assertThat(m.out[0]).as("slow contacts are all there is to wait for").isNull();
        m.time.runUntil(hard);
        assertThat(m.lookup.stateOf(c.get(0).id())).isEqualTo(Lookup.State.OVERDUE);
        assertThat(m.out[0]).as("past the hard timeout, but nobody answered: an answer may still come").isNull();
        m.time.runUntil(m.rtt.queryTimeoutMillis());
        assertThat(m.lookup.stateOf(c.get(0).id())).isEqualTo(Lookup.State.FAILED);
        assertThat(m.out[0]).isNotNull();
        assertThat(m.out[0].closest()).isEmpty();
        assertThat(m.out[0].trace().durationMillis()).isEqualTo(m.rtt.queryTimeoutMillis());
    }

    @Test
    void anAnswerPastTheHardTimeoutIsStillUsedWhenNobodyElseAnswered() {
        Network net = new Network(50, 54);
        NodeId target = NodeId.random(new SplittableRandom(15));
        List<Contact> c = net.closestTo(target, 3);
        InetSocketAddress holder = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9999);
        Manual m = new Manual(target, List.of(c.get(1), c.get(2)), K);
        m.time.runUntil(1_500);                     // past the 1 s hard timeout of both
        m.answer(c.get(2), List.of(c.get(0)), List.of(holder));
        assertThat(m.asked).as("the late answer's contact is asked").contains(c.get(0));
        m.time.runFor(100);
        m.answer(c.get(0), List.of(), List.of());
        m.time.runFor(10_000);
        assertThat(m.out[0]).isNotNull();
        assertThat(m.out[0].peers()).containsExactly(holder);
        assertThat(contactsOf(m.out[0])).contains(c.get(0), c.get(2));
    }

    @Test
    void afterAnAnswerPastItsHardTimeoutTheOtherOverdueContactsAreWaitedFor() {
        Network net = new Network(50, 55);
        NodeId target = NodeId.random(new SplittableRandom(16));
        List<Contact> c = net.closestTo(target, 3);
        Manual m = new Manual(target, List.of(c.get(0), c.get(1), c.get(2)), K);
        m.time.runUntil(1_500);
        m.answer(c.get(2), List.of(), List.of());
        assertThat(m.out[0]).as("a late answer: the machine or path is slow, the others are not gone").isNull();
        m.time.runUntil(2_000);
        m.answer(c.get(1), List.of(), List.of());
        m.time.runUntil(2_800);
        assertThat(m.out[0]).isNull();
        m.answer(c.get(0), List.of(), List.of());
        assertThat(m.out[0]).isNotNull();
        assertThat(contactsOf(m.out[0])).containsExactly(c.get(0), c.get(1), c.get(2));
    }

    @Test
    void whenEveryContactAnswersAfterOneAndAHalfToThreeSecondsTheLookupIsStillComplete() {
        Network net = new Network(300, 56, 1_500, 3_000).measured(5);
        NodeId target = NodeId.random(new SplittableRandom(17));
        List<Contact> closest = net.closestTo(target, K);
        InetSocketAddress holder = new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 9999);
        net.storedPeers.put(closest.get(3).id(), List.of(holder));
        assertThat(net.rtt.hardTimeoutMillis()).as("a fast network measured: the 1 s floor").isEqualTo(1_000);
        Lookup.Result r = net.run(target, null, List.of(net.nodes.get(0), net.nodes.get(1)));
        assertThat(contactsOf(r)).containsExactlyElementsOf(closest);
        assertThat(r.peers()).containsExactly(holder);
    }

    @Test
    void onAHealthyNetworkDepartedContactsAmongTheClosestCostOnlyTheirSoftTimeout() {
        Network net = new Network(300, 43).measured(80);  // answers come within 20 to 80 ms
        NodeId target = NodeId.random(new SplittableRandom(6));
        List<Contact> trueClosest = net.closestTo(target, 12);
        for (int i = 0; i < 4; i++) {
            net.dead.add(trueClosest.get(i).id());
        }
        Contact seed = net.nodes.stream().filter(c -> !net.dead.contains(c.id())).findFirst().orElseThrow();
        Lookup.Result r = net.run(target, null, List.of(seed));
        List<Contact> alive = net.nodes.stream().filter(c -> !net.dead.contains(c.id()))
                .sorted(Lookup.byDistanceTo(target)).limit(K).toList();
        assertThat(contactsOf(r)).containsExactlyElementsOf(alive);
        assertThat(r.trace().durationMillis()).as("ended before any departed contact's hard timeout")
                .isLessThan(net.rtt.hardTimeoutMillis());
    }

    @Test
    void aPathWhoseSeedsAllDepartedEndsAtTheHardTimeoutWhenTheOtherPathHasAnswers() {
        Network net = new Network(300, 58).measured(80);
        NodeId target = NodeId.random(new SplittableRandom(19));
        List<Contact> seeds = net.nodes.subList(0, 4);
        net.dead.add(seeds.get(1).id());            // dealt round-robin: the second path gets seeds 1 and 3
        net.dead.add(seeds.get(3).id());
        Lookup.Result[] out = new Lookup.Result[1];
        LookupConfig twoPaths = new LookupConfig(K, 3, 128, 200, 32, AddressDiversity.defaults(), 2, K);
        new DisjointLookup(target, null, seeds, twoPaths, net.env, net.rtt, net.querier(), Lookup.Finds.NONE,
                r -> out[0] = r).start();
        net.time.runFor(60_000);
        assertThat(out[0]).isNotNull();
        assertThat(out[0].closest()).isNotEmpty();
        assertThat(out[0].trace().durationMillis()).as("the silent path's seeds are taken as departed, not waited"
                + " for up to the query timeout").isLessThanOrEqualTo(net.rtt.hardTimeoutMillis());
    }

    @Test
    void slowContactsThatOutnumberTheAnswersAreWaitedForUpToTheHardTimeout() {
        Network net = new Network(50, 53);
        NodeId target = NodeId.random(new SplittableRandom(14));
        List<Contact> c = net.closestTo(target, 3);
        Manual m = new Manual(target, List.of(c.get(0), c.get(1), c.get(2)), K);
        m.time.runFor(10);
        m.answer(c.get(2), List.of(), List.of());
        m.time.runFor(m.rtt.softTimeoutMillis() + 1);
        assertThat(m.out[0]).as("two slow against one answer: more likely slow than gone").isNull();
        m.time.runUntil(m.rtt.hardTimeoutMillis());
        assertThat(m.out[0]).isNotNull();
        assertThat(contactsOf(m.out[0])).containsExactly(c.get(2));
    }

    @Test
    void aLateAnswerBeforeTheEndStillEndsTheLookupWithIt() {
        Network net = new Network(50, 52);
        NodeId target = NodeId.random(new SplittableRandom(13));
        List<Contact> c = net.closestTo(target, 2);
        Manual m = new Manual(target, List.of(c.get(0), c.get(1)), K);
        m.time.runFor(m.rtt.softTimeoutMillis() + 1);
        m.answer(c.get(1), List.of(), List.of());
        assertThat(m.out[0]).as("one answer, the other contact past its soft timeout: done").isNotNull();
        assertThat(contactsOf(m.out[0])).containsExactly(c.get(1));
    }

    @Test
    void theHardTimeoutIsThreeSoftTimeoutsWithinItsClamp() {
        RttEstimator rtt = new RttEstimator(1000, 100, 3000, 5000);
        assertThat(rtt.hardTimeoutMillis()).as("before any sample").isEqualTo(3000);
        rtt.sample(1);
        assertThat(rtt.softTimeoutMillis()).isEqualTo(100);
        assertThat(rtt.hardTimeoutMillis()).as("loopback: the floor").isEqualTo(RttEstimator.HARD_MIN_MILLIS);
        for (int i = 0; i < 50; i++) {
            rtt.sample(400);
        }
        assertThat(rtt.hardTimeoutMillis()).isEqualTo(3 * rtt.softTimeoutMillis());
        rtt.sample(100_000);
        assertThat(rtt.hardTimeoutMillis()).as("upper bound").isEqualTo(5000);
    }
}
