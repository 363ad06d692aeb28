package org.kadshare.overlay.transfer.download;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The disk threads that every download of one node shares: span verification and writes, state
 * saves, the whole-file check and publishing, closing a partial download. A download's event loop
 * hands its disk work here and gets each outcome back as an event, so the loop never waits on the
 * disk and the downloads of a node never hold more threads than this.
 *
 * <p>Bounded: {@code threads} threads and {@link #QUEUE_CAPACITY} waiting tasks. A task that finds
 * the queue full, or the disk closed, runs on the thread that handed it in: that slows the
 * download whose loop it is (a download already stops asking for spans above its pending-write
 * bound) instead of losing the task, which would leave its download waiting forever. Idle threads
 * end after {@link #IDLE_MILLIS}, so an idle node holds none.
 */
public final class DownloadDisk implements AutoCloseable {
    /** Disk tasks waiting at most, over every download of the node. */
    static final int QUEUE_CAPACITY = 4096;
    /** How long a disk thread with nothing to do stays. */
    static final long IDLE_MILLIS = 30_000;

    private final ThreadPoolExecutor pool;

    private DownloadDisk(int threads, String name) {
        if (threads < 1 || threads > 16) {
            throw new IllegalArgumentException("disk threads " + threads + " is not in 1..16");
        }
        this.pool = new ThreadPoolExecutor(threads, threads, IDLE_MILLIS, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(QUEUE_CAPACITY), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                }, (task, executor) -> task.run());
        pool.allowCoreThreadTimeOut(true);
    }

    /** A disk of {@code threads} threads named {@code name}; close it when its node stops. */
    public static DownloadDisk create(int threads, String name) {
        return new DownloadDisk(threads, name);
    }

    /** Runs {@code task} on a disk thread, or here when the queue is full or the disk closed. */
    void execute(Runnable task) {
        pool.execute(task);
    }

    /** Takes no more tasks onto its threads; those queued still run. */
    @Override
    public void close() {
        pool.shutdown();
    }
}
