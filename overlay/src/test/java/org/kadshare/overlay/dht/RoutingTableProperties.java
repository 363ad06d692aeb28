package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RoutingTableProperties {

    /** One event: a contact heard (answer or query) or a failed query to it. */
    record Event(byte[] id, int ip, boolean response, boolean failure, int minutes) {}

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<byte[]> ids = Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofSize(20),
                // IDs near ours (all zeros prefix) so the near buckets split deeply
                Arbitraries.bytes().array(byte[].class).ofSize(20).map(b -> {
                    b[0] = 0;
                    b[1] = (byte) (b[1] & 0x0f);
                    return b;
                }),
                Arbitraries.just(new byte[20]));
        Arbitrary<Event> event = Combinators.combine(ids, Arbitraries.integers().between(0, 40),
                        Arbitraries.of(true, false), Arbitraries.of(false, false, true),
                        Arbitraries.integers().between(0, 40))
                .as(Event::new);
        return event.list().ofMaxSize(300);
    }

    private static RoutingTable replay(List<Event> events, int k, boolean onePerIp) {
        NodeId own = NodeId.of(new byte[20]);
        RoutingTable t = new RoutingTable(own, new RoutingConfig(k, 3, 2, 15 * 60_000, 15 * 60_000, onePerIp), 0);
        long now = 0;
        for (Event e : events) {
            now += e.minutes() * 60_000L;
            NodeId id = NodeId.of(e.id());
            if (e.failure()) {
                t.failed(id, now, now);
            } else {
                t.heardFrom(RoutingTableTest.contact(id, e.ip(), 6881), e.response(), now);
            }
        }
        return t;
    }

    @Property(tries = 200)
    void tableKeepsItsInvariants(@ForAll("events") List<Event> events,
                                 @ForAll @IntRange(min = 1, max = 8) int k,
                                 @ForAll boolean onePerIp) {
        RoutingTable t = replay(events, k, onePerIp);
        assertThat(t.bucketSizes()).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(k));
        List<Contact> all = t.contacts();
        Set<NodeId> ids = new HashSet<>();
        Set<Object> ips = new HashSet<>();
        for (Contact c : all) {
            assertThat(ids.add(c.id())).as("duplicate id %s", c.id()).isTrue();
            if (onePerIp) {
                assertThat(ips.add(c.address().getAddress())).as("duplicate ip %s", c.address()).isTrue();
            }
        }
        assertThat(ids).doesNotContain(t.ownId());
        assertThat(all).hasSize(t.size());
    }

    @Property(tries = 200)
    void closestEqualsABruteForceSortOfAllContacts(@ForAll("events") List<Event> events,
                                                     @ForAll @Size(20) byte[] target,
                                                     @ForAll @IntRange(min = 0, max = 20) int n) {
        RoutingTable t = replay(events, 8, true);
        NodeId goal = NodeId.of(target);
        List<Contact> expected = t.contacts().stream()
                .filter(c -> !t.seenFailing(c.id(), Long.MAX_VALUE))
                .sorted(Comparator.comparing(c -> new java.math.BigInteger(1, c.id().distance(goal))))
                .limit(n)
                .toList();
        assertThat(t.closest(goal, n)).containsExactlyElementsOf(expected);
    }

    /** Targets sharing 0..160 leading bits with our own ID, so every bucket order is walked. */
    @Property(tries = 300)
    void closestEqualsABruteForceSortForTargetsNearOurOwnId(@ForAll("events") List<Event> events,
                                                          @ForAll @Size(20) byte[] noise,
                                                          @ForAll @IntRange(min = 0, max = 160) int sharedBits,
                                                          @ForAll @IntRange(min = 0, max = 20) int n) {
        RoutingTable t = replay(events, 8, true);
        byte[] goalBytes = t.ownId().toBytes();
        for (int bit = sharedBits; bit < 160; bit++) {
            int mask = 0x80 >>> (bit % 8);
            goalBytes[bit / 8] = (byte) ((goalBytes[bit / 8] & ~mask) | (noise[bit / 8] & mask));
        }
        NodeId goal = NodeId.of(goalBytes);
        List<Contact> expected = t.contacts().stream()
                .filter(c -> !t.seenFailing(c.id(), Long.MAX_VALUE))
                .sorted(Comparator.comparing(c -> new java.math.BigInteger(1, c.id().distance(goal))))
                .limit(n)
                .toList();
        assertThat(t.closest(goal, n)).containsExactlyElementsOf(expected);
    }
}
