package org.kadshare.overlay.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.dht.SampledKeys;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.storage.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browse of the network ({@link Node#browse}): a BEP 51 crawl samples the keys the reachable
 * nodes store ({@link Dht#sampleKeys}), then the manifests of the most reported keys are looked
 * up, at most {@link Node#BROWSE_PARALLEL_LOOKUPS} at a time, until the options' time is up (the
 * crawl gets 60% of it); what arrived by then is listed ({@link BrowseListing}).
 */
final class NodeBrowse {
    /** The node's log. */
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private NodeBrowse() {
    }

    /** Browses through {@code dht}, waiting up to {@code waitMillis} more than the crawl for its end. */
    static BrowseResult run(Dht dht, BrowseOptions options, byte[] ownKey, long waitMillis)
            throws InterruptedException {
        long start = System.nanoTime();
        long crawlMillis = Math.max(1, options.timeoutMillis() * 6 / 10);
        SampledKeys sampled;
        try {
            sampled = dht.sampleKeys(options.maxQueries(), crawlMillis).get(crawlMillis + waitMillis,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the crawl failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the crawl did not end within " + (crawlMillis + waitMillis) + " ms", e);
        }
        List<SampledKeys.Key> keys = sampled.keys().subList(0, Math.min(options.maxResults(), sampled.keys().size()));
        Map<NodeId, List<Manifest>> found = new ConcurrentHashMap<>();
        Semaphore slots = new Semaphore(Node.BROWSE_PARALLEL_LOOKUPS);
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(options.timeoutMillis());
        List<CompletableFuture<?>> lookups = new ArrayList<>();
        for (SampledKeys.Key k : keys) {
            if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            lookups.add(dht.findManifests(k.key(), m -> found.computeIfAbsent(k.key(),
                    x -> Collections.synchronizedList(new ArrayList<>())).add(m))
                    .whenComplete((v, e) -> slots.release()));
        }
        try {
            CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("browse: listing what arrived in time ({})", e.toString());
        }
        Map<NodeId, List<Manifest>> copy = new HashMap<>();
        found.forEach((key, list) -> {
            synchronized (list) {
                copy.put(key, List.copyOf(list));
            }
        });
        return BrowseListing.of(sampled, keys, copy, ownKey);
    }
}
