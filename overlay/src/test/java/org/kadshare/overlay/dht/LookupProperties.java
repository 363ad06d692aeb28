package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class LookupProperties {

    @Property(tries = 40)
    void lookupAlwaysEndsWithDistinctLiveRespondersSortedByDistance(
            @ForAll @IntRange(min = 1, max = 150) int size,
            @ForAll @IntRange(min = 0, max = 60) int deadPercent,
            @ForAll long seed) {
        LookupTest.Network net = new LookupTest.Network(size, seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (Contact c : net.nodes.subList(1, net.nodes.size())) {
            if (random.nextInt(100) < deadPercent) {
                net.dead.add(c.id());
            }
        }
        NodeId target = NodeId.random(random);
        Lookup.Result r = net.run(target, null, List.of(net.nodes.get(0)));
        List<Contact> found = r.closest().stream().map(Lookup.Responder::contact).toList();
        assertThat(found).hasSizeLessThanOrEqualTo(8).doesNotHaveDuplicates();
        assertThat(found).isSortedAccordingTo(Lookup.byDistanceTo(target));
        assertThat(found).noneMatch(c -> net.dead.contains(c.id()));
        assertThat(net.maxPlainInFlight).isLessThanOrEqualTo(3);
        if (!net.dead.contains(net.nodes.get(0).id())) {
            assertThat(found).isNotEmpty();
        }
    }
}
