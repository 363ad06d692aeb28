package org.kadshare.overlay.dht;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The sample of stored keys a node hands out to BEP 51 {@code sample_infohashes}: at most
 * {@code maxSamples} keys drawn at random from all it stores, the same sample to every querier
 * until {@code intervalMillis} has passed or the number of stored keys changed (so a crawler
 * learns nothing more by asking again within the interval, and a key stored just now shows up at
 * once). Pure: keys, time and randomness are arguments; the keys come in sorted, so a seed
 * reproduces the draw. Collecting the keys costs a pass over the stores, so it happens only for a
 * new draw: between draws a query costs nothing but the change check on {@code keyCount}.
 */
final class KeySampler {
    private final int maxSamples;
    private final long intervalMillis;
    private List<NodeId> current = List.of();
    private long drawnAtMillis;
    private int drawnFrom = -1;
    private int num;

    KeySampler(int maxSamples, long intervalMillis) {
        if (maxSamples < 1 || intervalMillis < 0) {
            throw new IllegalArgumentException("maxSamples must be positive and intervalMillis not negative, got "
                    + maxSamples + " and " + intervalMillis);
        }
        this.maxSamples = maxSamples;
        this.intervalMillis = intervalMillis;
    }

    /**
     * The sample to hand out at {@code nowMillis}: the last one, unless the interval has passed or
     * {@code keyCount} (any number that changes when the stored keys do) differs from the last
     * draw's, in which case a new one is drawn from {@code keys}.
     */
    List<NodeId> sample(int keyCount, Supplier<SortedSet<NodeId>> keys, long nowMillis, RandomGenerator random) {
        if (keyCount != drawnFrom || nowMillis - drawnAtMillis >= intervalMillis) {
            SortedSet<NodeId> all = keys.get();
            current = draw(all, random);
            num = all.size();
            drawnAtMillis = nowMillis;
            drawnFrom = keyCount;
        }
        return current;
    }

    /** How many distinct keys the last sample was drawn from (BEP 51's "num"). */
    int num() {
        return num;
    }

    /** How long a sample is kept, in whole seconds, as BEP 51's "interval" says it. */
    int intervalSeconds() {
        return (int) Math.min(Integer.MAX_VALUE, intervalMillis / 1000);
    }

    /** {@code maxSamples} of {@code keys} (all of them if fewer), by a partial Fisher-Yates shuffle. */
    private List<NodeId> draw(SortedSet<NodeId> keys, RandomGenerator random) {
        List<NodeId> all = new ArrayList<>(keys);
        int n = Math.min(maxSamples, all.size());
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(all.size() - i);
            NodeId swap = all.get(i);
            all.set(i, all.get(j));
            all.set(j, swap);
        }
        return List.copyOf(all.subList(0, n));
    }
}
