package org.kadshare.overlay.dht;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The DHT core's traffic counts for metrics and debug logs: queries received (past the rate
 * limiter) and sent, by KRPC method; lookups finished, by kind, with their durations in fixed
 * buckets. Plain counters on the core's thread; durations come from the core's clock, so the
 * simulator's virtual time gives the same counts for the same seed.
 *
 * <p>Bounds: the methods are those the codec decodes into queries (unknown ones never get here),
 * the kinds those the node runs; maps are sorted, so a snapshot lists them in one order.
 */
public final class KrpcTraffic {
    /** Upper bounds, in milliseconds, of the lookup-duration buckets; a last bucket holds the rest. */
    public static final long[] LOOKUP_BUCKET_MILLIS = {50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000};

    private final Map<String, Long> queriesIn = new TreeMap<>();
    private final Map<String, Long> queriesOut = new TreeMap<>();
    private final Map<String, LookupTimes> lookups = new TreeMap<>();

    void queryIn(String method) {
        queriesIn.merge(method, 1L, Long::sum);
    }

    void queryOut(String method) {
        queriesOut.merge(method, 1L, Long::sum);
    }

    void lookupDone(String kind, long durationMillis) {
        lookups.computeIfAbsent(kind, k -> new LookupTimes()).add(durationMillis);
    }

    /** An immutable copy of the counts. */
    public Snapshot snapshot() {
        Map<String, LookupHistogram> l = new TreeMap<>();
        lookups.forEach((kind, t) -> l.put(kind, t.snapshot()));
        return new Snapshot(queriesIn, queriesOut, l);
    }

    private static <V> Map<String, V> sorted(Map<String, V> m) {
        return Collections.unmodifiableMap(new TreeMap<>(m));
    }

    /**
     * The counts at one moment; each map iterates in key order.
     *
     * @param queriesIn  queries received and not rate-limited, by method
     * @param queriesOut queries sent, by method
     * @param lookups    lookups finished, by kind ({@code nodes}, {@code peers}, {@code manifests})
     */
    public record Snapshot(Map<String, Long> queriesIn, Map<String, Long> queriesOut,
            Map<String, LookupHistogram> lookups) {
        /** Copies the maps, sorted by key. */
        public Snapshot {
            queriesIn = sorted(queriesIn);
            queriesOut = sorted(queriesOut);
            lookups = sorted(lookups);
        }

        /** Every query received, summed over methods. */
        public long totalIn() {
            return queriesIn.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Every query sent, summed over methods. */
        public long totalOut() {
            return queriesOut.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * Lookup durations: {@code counts[i]} lookups took at most {@link #LOOKUP_BUCKET_MILLIS}{@code [i]}
     * (and more than the bound before), the last count the rest; not cumulative.
     */
    public record LookupHistogram(long[] counts, long sumMillis) {
        public LookupHistogram {
            counts = counts.clone();
        }

        @Override
        public long[] counts() {
            return counts.clone();
        }

        /** Every lookup counted. */
        public long total() {
            return Arrays.stream(counts).sum();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LookupHistogram h && Arrays.equals(counts, h.counts) && sumMillis == h.sumMillis;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(counts) + Long.hashCode(sumMillis);
        }

        @Override
        public String toString() {
            return "LookupHistogram" + Arrays.toString(counts) + " sum " + sumMillis + " ms";
        }
    }

    private static final class LookupTimes {
        private final long[] counts = new long[LOOKUP_BUCKET_MILLIS.length + 1];
        private long sumMillis;

        void add(long millis) {
            int i = 0;
            while (i < LOOKUP_BUCKET_MILLIS.length && millis > LOOKUP_BUCKET_MILLIS[i]) {
                i++;
            }
            counts[i]++;
            sumMillis += Math.max(0, millis);
        }

        LookupHistogram snapshot() {
            return new LookupHistogram(counts, sumMillis);
        }
    }
}
