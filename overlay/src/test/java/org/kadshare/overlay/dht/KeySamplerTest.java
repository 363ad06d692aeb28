package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KeySamplerTest {
    private static TreeSet<NodeId> keys(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        TreeSet<NodeId> out = new TreeSet<>();
        while (out.size() < n) {
            out.add(NodeId.random(r));
        }
        return out;
    }

    @Test
    void aSampleHoldsAtMostTheLimitOfDistinctStoredKeys() {
        TreeSet<NodeId> stored = keys(100, 1);
        KeySampler sampler = new KeySampler(20, 60_000);
        List<NodeId> sample = sampler.sample(stored.size(), () -> stored, 0, new SplittableRandom(2));
        assertThat(sample).hasSize(20).doesNotHaveDuplicates();
        assertThat(stored).containsAll(sample);
        assertThat(sampler.num()).isEqualTo(100);
    }

    @Test
    void fewerKeysThanTheLimitAreAllHandedOut() {
        TreeSet<NodeId> stored = keys(5, 3);
        List<NodeId> sample = new KeySampler(20, 60_000).sample(5, () -> stored, 0, new SplittableRandom(4));
        assertThat(sample).containsExactlyInAnyOrderElementsOf(stored);
    }

    @Test
    void theSameSampleIsHandedOutWithinTheIntervalAndTheKeysAreNotCollectedAgain() {
        TreeSet<NodeId> stored = keys(100, 5);
        AtomicInteger collected = new AtomicInteger();
        KeySampler sampler = new KeySampler(20, 60_000);
        SplittableRandom random = new SplittableRandom(6);
        List<NodeId> first = sampler.sample(100, () -> {
            collected.incrementAndGet();
            return stored;
        }, 1_000, random);
        List<NodeId> again = sampler.sample(100, () -> {
            collected.incrementAndGet();
            return stored;
        }, 60_999, random);
        assertThat(again).isEqualTo(first);
        assertThat(collected).hasValue(1);
        List<NodeId> later = sampler.sample(100, () -> stored, 61_000, random);
        assertThat(later).isNotEqualTo(first);
    }

    @Test
    void aKeyStoredWithinTheIntervalMakesANewDraw() {
        TreeSet<NodeId> stored = keys(3, 7);
        KeySampler sampler = new KeySampler(20, 60_000);
        sampler.sample(3, () -> stored, 0, new SplittableRandom(8));
        NodeId fresh = NodeId.random(new SplittableRandom(9));
        stored.add(fresh);
        assertThat(sampler.sample(4, () -> stored, 10, new SplittableRandom(8))).contains(fresh);
        assertThat(sampler.num()).isEqualTo(4);
    }

    @Test
    void theSameSeedDrawsTheSameSample() {
        TreeSet<NodeId> stored = keys(100, 10);
        assertThat(new KeySampler(20, 1).sample(100, () -> stored, 0, new SplittableRandom(11)))
                .isEqualTo(new KeySampler(20, 1).sample(100, () -> stored, 0, new SplittableRandom(11)));
    }
}
