package org.kadshare.overlay.node;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.kadshare.storage.ContentId;

/**
 * Announces many contents one after the other, at most one every {@link #INTERVAL_MILLIS}, on the
 * node's executor: a shared folder of hundreds of files would otherwise send its holder records
 * and manifests in one burst, and a storing node drops what exceeds its per-source query rate
 * (20 per second with a burst of 50 by default; each content costs about four queries in a small
 * network). The future of each batch completes with what announcing its last content did (how
 * many nodes took the holder record).
 */
final class PacedAnnouncer {
    /** The pause between two contents: about 13 queries a second to one peer at most. */
    static final long INTERVAL_MILLIS = 300;

    private final ScheduledExecutorService executor;
    private final Function<ContentId, CompletableFuture<Integer>> announce;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    PacedAnnouncer(ScheduledExecutorService executor, Function<ContentId, CompletableFuture<Integer>> announce) {
        this.executor = executor;
        this.announce = announce;
    }

    /** Queues {@code ids} in order; completes once the last is announced. */
    CompletableFuture<Integer> announceAll(List<ContentId> ids) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        synchronized (queue) {
            for (int i = 0; i < ids.size(); i++) {
                ContentId id = ids.get(i);
                boolean last = i == ids.size() - 1;
                queue.add(() -> {
                    CompletableFuture<Integer> f = announce.apply(id);
                    if (last) {
                        f.whenComplete((nodes, error) -> done.complete(error == null ? nodes : 0));
                    }
                });
            }
            if (ids.isEmpty()) {
                done.complete(0);
            }
            if (!running && !queue.isEmpty()) {
                running = true;
                executor.execute(this::next);
            }
        }
        return done;
    }

    private void next() {
        Runnable r;
        synchronized (queue) {
            r = queue.poll();
            if (r == null) {
                running = false;
                return;
            }
        }
        r.run();
        if (!executor.isShutdown()) {
            executor.schedule(this::next, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
