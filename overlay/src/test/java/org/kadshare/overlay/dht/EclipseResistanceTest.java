package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Attacker nodes that choose IDs next to a key and answer like nodes that hold nothing cannot
 * capture a lookup: subnet diversity, widening and disjoint paths, each shown against the same
 * lookup without it.
 */
class EclipseResistanceTest {
    private static final int K = 8;
    private static final InetSocketAddress HOLDER = address(192, 0, 2, 9, 7000);

    static InetSocketAddress address(int a, int b, int c, int d, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(
                    new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress ip(int a, int b, int c, int d) {
        return address(a, b, c, d, 1).getAddress();
    }

    /** An ID that shares all but the last byte with {@code key}. */
    private static NodeId nextTo(NodeId key, int last) {
        byte[] b = key.toBytes();
        b[b.length - 1] ^= (byte) last;
        return NodeId.of(b);
    }

    /**
     * A network of honest nodes, each on its own public /16, and attackers: attackers answer with
     * the attackers closest to the target, honest nodes as {@link #honestAnswer}, honest nodes in {@code holding} with
     * the holder record, attackers never with anything.
     */
    static final class Net {
        final VirtualTime time = new VirtualTime();
        final DhtEnvironment env = time.environment(1, (to, bytes) -> { });
        final RttEstimator rtt = new RttEstimator(1000, 50, 5000, 5000);
        final List<Contact> honest = new ArrayList<>();
        final List<Contact> attackers = new ArrayList<>();
        final Set<NodeId> holding = new HashSet<>();
        final Map<NodeId, Integer> asked = new HashMap<>();

        Net(int honestCount, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < honestCount; i++) {
                honest.add(new Contact(NodeId.random(random), address(20 + i / 200, i % 200, 1, 1, 6881)));
            }
        }

        /** {@code count} attackers on one /24 of 203.0.113.0, with IDs next to {@code key}. */
        void attackersNextTo(NodeId key, int count) {
            for (int i = 1; i <= count; i++) {
                attackers.add(new Contact(nextTo(key, i), address(203, 0, 113, i, 6881)));
            }
        }

        List<Contact> closest(List<Contact> side, NodeId target, int n) {
            return side.stream().sorted(Lookup.byDistanceTo(target)).limit(n).toList();
        }

        /**
         * The 2k closest of all nodes within the diversity limit, as an honest node's routing
         * table (at most 2 of one subnet in a bucket) gives them.
         */
        List<Contact> honestAnswer(NodeId target) {
            List<Contact> all = new ArrayList<>(honest);
            all.addAll(attackers);
            SubnetCounts counts = new SubnetCounts(AddressDiversity.defaults());
            return all.stream().sorted(Lookup.byDistanceTo(target))
                    .filter(c -> counts.tryAdd(c.address().getAddress())).limit(2 * K).toList();
        }

        Lookup.Querier querier() {
            return (lookup, to) -> {
                asked.merge(to.id(), 1, Integer::sum);
                boolean attacker = attackers.contains(to);
                List<Contact> nodes;
                if (attacker) {
                    nodes = closest(attackers, lookup.target(), K);
                } else {
                    nodes = honestAnswer(lookup.target());
                }
                List<InetSocketAddress> peers = !attacker && holding.contains(to.id()) ? List.of(HOLDER) : List.of();
                time.schedule(30, () -> lookup.responded(to, new Lookup.Response(nodes, peers, List.of(),
                        new byte[] {1})));
            };
        }

        Lookup.Result run(NodeId target, List<Contact> seeds, LookupConfig config) {
            Lookup.Result[] out = new Lookup.Result[1];
            new DisjointLookup(target, null, seeds, config, env, rtt, querier(), Lookup.Finds.NONE,
                    r -> out[0] = r).start();
            time.runFor(60_000);
            assertThat(out[0]).as("lookup finished").isNotNull();
            return out[0];
        }
    }

    private static LookupConfig config(AddressDiversity diversity, int paths, int widenTo) {
        return new LookupConfig(K, 3, 128, 200, 32, diversity, paths, widenTo);
    }

    private static long attackersIn(Lookup.Result r, Net net) {
        return r.closest().stream().filter(c -> net.attackers.contains(c.contact())).count();
    }

    @Test
    void subnetsCountAsIpv4Slash24AndSlash16AndIpv6Slash64AndSlash48() throws UnknownHostException {
        SubnetCounts counts = new SubnetCounts(AddressDiversity.defaults());
        assertThat(counts.tryAdd(ip(198, 51, 100, 1))).isTrue();
        assertThat(counts.tryAdd(ip(198, 51, 100, 2))).isTrue();
        assertThat(counts.fits(ip(198, 51, 100, 3))).as("third in the /24").isFalse();
        assertThat(counts.fits(ip(198, 51, 7, 3))).as("third in the /16").isFalse();
        assertThat(counts.fits(ip(198, 52, 100, 3))).as("another /16").isTrue();
        assertThat(counts.tryAdd(InetAddress.getByName("2001:db8:1:1::1"))).isTrue();
        assertThat(counts.tryAdd(InetAddress.getByName("2001:db8:1:1::2"))).isTrue();
        assertThat(counts.fits(InetAddress.getByName("2001:db8:1:1::3"))).as("third in the /64").isFalse();
        assertThat(counts.fits(InetAddress.getByName("2001:db8:1:2::3"))).as("third in the /48").isFalse();
        assertThat(counts.fits(InetAddress.getByName("2001:db8:2::3"))).as("another /48").isTrue();
    }

    @Test
    void loopbackAndPrivateRangesAreExemptUnlessTheExemptionIsRemoved() throws UnknownHostException {
        List<InetAddress> local = List.of(ip(127, 0, 0, 1), ip(10, 1, 2, 3), ip(172, 16, 0, 1), ip(192, 168, 1, 1),
                ip(169, 254, 1, 1), InetAddress.getByName("fd00::1"), InetAddress.getByName("::1"));
        for (InetAddress a : local) {
            SubnetCounts exempt = new SubnetCounts(AddressDiversity.defaults());
            SubnetCounts strict = new SubnetCounts(AddressDiversity.strict());
            for (int i = 0; i < 3; i++) {
                assertThat(exempt.tryAdd(a)).as("%s exempt", a).isTrue();
            }
            assertThat(strict.tryAdd(a)).isTrue();
            assertThat(strict.tryAdd(a)).isTrue();
            assertThat(strict.tryAdd(a)).as("%s counted when strict", a).isFalse();
        }
    }

    @Test
    void aBucketHoldsAtMostTwoContactsOfOneSubnet() {
        NodeId own = NodeId.random(new SplittableRandom(1));
        for (AddressDiversity d : List.of(AddressDiversity.defaults(), AddressDiversity.strict())) {
            RoutingTable table = new RoutingTable(own, new RoutingConfig(K, 8, 2, 60_000, 60_000, true, d), 0);
            RoutingTable privateNet = new RoutingTable(own, new RoutingConfig(K, 8, 2, 60_000, 60_000, true, d), 0);
            SplittableRandom random = new SplittableRandom(2);
            for (int i = 1; i <= 6; i++) {
                NodeId id = NodeId.random(random);
                table.heardFrom(new Contact(id, address(198, 51, 100, i, 6881)), true, 0);
                privateNet.heardFrom(new Contact(id, address(10, 9, 9, i, 6881)), true, 0);
            }
            assertThat(table.size()).as("public /24, %s", d).isEqualTo(2);
            assertThat(privateNet.size()).as("private /24, %s", d).isEqualTo(d.exemptLocal() ? 6 : 2);
        }
    }

    @Test
    void eightAttackersOnOneSlash24NextToTheKeyTakeAtMostTwoPlacesAndTheHolderIsFound() {
        NodeId key = NodeId.random(new SplittableRandom(3));
        Net net = new Net(60, 4);
        net.attackersNextTo(key, 8);
        net.closest(net.honest, key, K).forEach(c -> net.holding.add(c.id()));
        List<Contact> seeds = List.of(net.honest.get(0), net.honest.get(1), net.honest.get(2));

        Lookup.Result captured = net.run(key, seeds, config(AddressDiversity.unlimited(), 1, K));
        assertThat(attackersIn(captured, net)).as("without diversity").isEqualTo(K);

        Lookup.Result diverse = net.run(key, seeds, config(AddressDiversity.defaults(), 1, K));
        assertThat(attackersIn(diverse, net)).isEqualTo(2);
        assertThat(diverse.closest()).hasSize(K);
        assertThat(diverse.peers()).containsExactly(HOLDER);
    }

    @Test
    void aGetWhoseClosestNodesHoldNothingWidensToFartherNodes() {
        NodeId key = NodeId.random(new SplittableRandom(5));
        Net net = new Net(80, 6);
        List<Contact> ranked = net.closest(net.honest, key, 3 * K);
        for (int i = K + 2; i < 2 * K; i++) {
            net.holding.add(ranked.get(i).id());    // only nodes beyond the k closest hold the record
        }
        List<Contact> seeds = List.of(net.honest.get(0), net.honest.get(1));

        assertThat(net.run(key, seeds, config(AddressDiversity.defaults(), 1, K)).peers())
                .as("without widening").isEmpty();
        Lookup.Result widened = net.run(key, seeds, config(AddressDiversity.defaults(), 1, 2 * K));
        assertThat(widened.peers()).containsExactly(HOLDER);
        assertThat(widened.closest()).extracting(Lookup.Responder::contact)
                .as("the result is still the k closest").containsExactlyElementsOf(ranked.subList(0, K));
    }

    @Test
    void disjointPathsNeverAskOneNodeTwiceAndStillFindTheTrueKClosest() {
        NodeId key = NodeId.random(new SplittableRandom(7));
        Net net = new Net(300, 8);
        List<Contact> seeds = net.honest.subList(0, K);
        Lookup.Result r = net.run(key, seeds, config(AddressDiversity.defaults(), 3, K));
        assertThat(net.asked.values()).allMatch(n -> n == 1);
        assertThat(r.closest()).extracting(Lookup.Responder::contact)
                .containsExactlyElementsOf(net.closest(net.honest, key, K));
    }

    @Test
    void aPathCapturedByAttackersDoesNotCaptureTheOtherPath() {
        NodeId key = NodeId.random(new SplittableRandom(9));
        Net net = new Net(60, 10);
        // attackers on many subnets (diversity cannot help), with IDs next to the key
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 1; i <= 6; i++) {
            net.attackers.add(new Contact(nextTo(key, i), address(100 + i, random.nextInt(200), 1, 1, 6881)));
        }
        net.closest(net.honest, key, K).forEach(c -> net.holding.add(c.id()));
        // the first seed is an attacker, so the path it starts is fed attackers only
        List<Contact> seeds = List.of(net.attackers.get(0), net.honest.get(0));
        Lookup.Result single = net.run(key, seeds.subList(0, 1), config(AddressDiversity.defaults(), 1, K));
        assertThat(single.peers()).as("one path from an attacker").isEmpty();
        Lookup.Result disjoint = net.run(key, seeds, config(AddressDiversity.defaults(), 2, 2 * K));
        assertThat(disjoint.peers()).containsExactly(HOLDER);
    }
}
