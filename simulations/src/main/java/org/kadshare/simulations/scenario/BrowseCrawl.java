package org.kadshare.simulations.scenario;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.kadshare.overlay.dht.DhtNode;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.dht.SampledKeys;
import org.kadshare.simulations.sim.SimNode;

/**
 * How much of what a simulated network holds one BEP 51 crawl ({@link DhtNode#sampleKeys}) sees:
 * the share of the published keys it sampled, with the queries and datagrams it took. Runs in
 * virtual time, so its figures depend on the seed only, not on the machine.
 */
public final class BrowseCrawl {
    /** What one crawl saw and cost. */
    public record Outcome(int published, int found, int queries, int answered, int nodesSeen, long datagrams) {
        /** The share of the published keys the crawl sampled. */
        public double coverage() {
            return published == 0 ? 1 : (double) found / published;
        }
    }

    private BrowseCrawl() {
    }

    /** Crawls from {@code from} with at most {@code maxQueries} queries for {@code timeoutMillis} of virtual time. */
    public static Outcome run(DhtHarness<DhtNode> h, SimNode<DhtNode> from, List<DhtHarness.Record> published,
            int maxQueries, long timeoutMillis) {
        CompletableFuture<SampledKeys> done = new CompletableFuture<>();
        long sentBefore = h.simulation().traffic().sent();
        h.simulation().scheduler().schedule(0, () -> from.core().sampleKeys(maxQueries, timeoutMillis)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        done.completeExceptionally(e);
                    } else {
                        done.complete(r);
                    }
                }));
        h.simulation().runFor(timeoutMillis + 1_000);
        if (!done.isDone()) {
            throw new IllegalStateException("the crawl did not end within its " + timeoutMillis + " ms");
        }
        SampledKeys sampled = done.join();
        Set<NodeId> seen = new HashSet<>();
        sampled.keys().forEach(k -> seen.add(k.key()));
        int found = (int) published.stream().filter(r -> seen.contains(r.key())).count();
        return new Outcome(published.size(), found, sampled.queries(), sampled.answered(), sampled.nodesSeen(),
                h.simulation().traffic().sent() - sentBefore);
    }
}
