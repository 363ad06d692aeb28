package org.kadshare.overlay.node;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gets a {@link Node} runs now, and the bytes its completed gets fetched since it started:
 * a get is in from its start until its result, and {@link #cancelAll} ends them when the node
 * closes. Thread-safe.
 */
final class RunningGets {
    /** The node's log. */
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final Set<NodeGet> gets = ConcurrentHashMap.newKeySet();
    private final LongAdder fetchedBytes = new LongAdder();

    /** Counts {@code task} as running until its result, and its file's length as fetched if it completes. */
    void add(NodeGet task) {
        gets.add(task);
        task.result().whenComplete((stored, error) -> {
            gets.remove(task);
            if (stored != null) {
                fetchedBytes.add(stored.lengthBytes());
            }
        });
    }

    int count() {
        return gets.size();
    }

    /** The summed length of the files the completed gets fetched. */
    long bytesFetched() {
        return fetchedBytes.sum();
    }

    /** The progress of every get running now. */
    List<DownloadProgress> progress() {
        return gets.stream().map(NodeGet::progress).filter(Objects::nonNull).toList();
    }

    /**
     * Cancels every running get (their verified parts are saved for a later resume) and waits up
     * to {@code waitMillis} for each to end.
     */
    void cancelAll(long waitMillis) {
        List<NodeGet> running = List.copyOf(gets);
        running.forEach(NodeGet::cancel);
        for (NodeGet g : running) {
            try {
                g.result().get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                LOG.debug("get of {} ended with {}", g.id(), e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
