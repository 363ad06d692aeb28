package org.kadshare.overlay.transfer.download;

import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DhtEnvironment.Cancellable;
import org.kadshare.overlay.transfer.TransferException;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.LeafLayerRejectedException;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.SpanRejectedException;
import org.kadshare.storage.StorageFullException;
import org.kadshare.storage.StoredFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link DownloadCore} for real: on its connector's event loop (for the real connector
 * the Netty loop of the download's connections, so replies reach the core without another
 * thread), with the wall clock, and with span verification, disk writes and the whole-file check
 * on the node's {@link DownloadDisk} (shared by its downloads; a run started without one has its
 * own, closed at its end). Every outcome of the disk comes back to the core as an event on the
 * loop; the core and the disk share no lock. Its randomness is a {@link SplittableRandom} seeded
 * per download. An event that arrives after the run ended is
 * dropped, except a link that comes up then, which is closed.
 */
final class DownloadDriver implements DownloadEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadDriver.class);

    private final ContentId id;
    private final BlockStore store;
    private final Download.Destination destination;
    private final DownloadOptions options;
    private final PeerConnector connector;
    private final boolean ownsConnector;
    private final ScheduledExecutorService loop;
    private final DownloadDisk disk;
    private final boolean ownsDisk;
    private final CompletableFuture<StoredFile> result = new CompletableFuture<>();
    private final DownloadCore core;
    private final SplittableRandom random = new SplittableRandom();
    private volatile DownloadProgress progress;
    /** Touched on the loop only; the pool's tasks are handed the reference they work on. */
    private PartialDownload partial;
    /** When the partial download's state is saved; on the loop, set with {@link #partial}. */
    private StateSaveRule stateSaves;
    private StoredFile stored;
    /**
     * On the loop, while the core handles a span that arrived: the span whose bytes a
     * {@link #writeSpan} then writes, recycled once they are on disk or rejected.
     */
    private Span arriving;
    /** On the loop: whether an event of the core is running (a link's handshake is then not handed over inline). */
    private boolean inEvent;

    DownloadDriver(ContentId id, List<InetSocketAddress> holders, boolean moreHoldersMayCome, BlockStore store,
            Download.Destination destination, DownloadOptions options, PeerConnector connector,
            boolean ownsConnector, DownloadDisk disk, boolean ownsDisk) {
        this.id = id;
        this.store = store;
        this.destination = destination;
        this.options = options;
        this.connector = connector;
        this.ownsConnector = ownsConnector;
        this.core = new DownloadCore(id, holders, moreHoldersMayCome, options, this);
        this.progress = core.progress();
        this.loop = connector.loop();
        this.disk = disk;
        this.ownsDisk = ownsDisk;
    }

    /** Reads the partial download the store may have, then begins the run on the loop. */
    void start() {
        disk.execute(() -> {
            PartialDownload found;
            try {
                found = store.resumeDownload(id).orElse(null);
            } catch (IOException e) {
                post(() -> core.beginFailed(e));
                return;
            }
            DownloadCore.Resumed resumed = found == null ? null : new DownloadCore.Resumed(found.lengthBytes(),
                    Holdings.partial(found.heldBitfield()).leaves((int) MerkleTree.leafCount(found.lengthBytes())),
                    found.bytesDone());
            runOrElse(() -> {
                partial = found;
                stateSaves = found == null ? StateSaveRule.standard(0, -1)
                        : StateSaveRule.standard(found.bytesDone(), found.lengthBytes());
                core.begin(resumed);
            }, () -> {
                if (found != null) {
                    closeQuietly(found);
                }
            });
        });
    }

    CompletableFuture<StoredFile> result() {
        return result;
    }

    DownloadProgress progress() {
        return progress;
    }

    /** Runs {@code event} on the loop unless the run is over. A bug in the core fails the run. */
    void post(Runnable event) {
        runOrElse(event, () -> { });
    }

    /**
     * Runs {@code event} on the loop, or {@code ifOver} (there, or here if the loop is gone) when
     * the run is over: what the event carries must then be let go.
     */
    private void runOrElse(Runnable event, Runnable ifOver) {
        try {
            loop.execute(() -> {
                if (core.isDone()) {
                    ifOver.run();
                    return;
                }
                runEvent(event);
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("download of {} is over; event dropped", id);
            ifOver.run();
        }
    }

    private void runEvent(Runnable event) {
        inEvent = true;
        try {
            event.run();
        } catch (RuntimeException e) {
            core.internalError(e);
        } finally {
            inEvent = false;
        }
    }

    DownloadCore core() {
        return core;
    }

    @Override
    public long nowNanos() {
        return System.nanoTime();
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        try {
            ScheduledFuture<?> f = loop.schedule(() -> post(task), delayMillis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    @Override
    public void connect(int peer, InetSocketAddress address, Handshake ours) {
        CompletableFuture<PeerLink> f;
        try {
            f = connector.connect(address, ours, new Events(peer), this::nowNanos);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((link, error) -> {
            if (error != null && isBusy(error)) {
                post(() -> core.linkBusy(peer));
            } else if (error != null) {
                post(() -> core.linkFailed(peer, describe(error)));
            } else {
                linkUp(peer, link);
            }
        });
    }

    /**
     * Hands a new link to the core, or closes it if the run is over (it would leak otherwise).
     * When the holder's handshake is read on the loop itself, outside any event of the core, the
     * core has it at once: queued, it waited behind the TLS handshakes of the download's other
     * connections on the same loop (tens of milliseconds), and with it the first leaf-hash request.
     */
    private void linkUp(int peer, PeerLink link) {
        if (!inEvent && loop instanceof EventExecutor e && e.inEventLoop()) {
            if (core.isDone()) {
                link.close();
            } else {
                runEvent(() -> core.linkUp(peer, link));
            }
            return;
        }
        runOrElse(() -> core.linkUp(peer, link), link::close);
    }

    private static boolean isBusy(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof TransferException t && t.code() == ErrorCode.BUSY) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void startPartial(long lengthBytes, byte[] leafHashes) {
        disk.execute(() -> {
            PartialDownload started;
            try {
                started = store.startDownload(id, lengthBytes, leafHashes);
            } catch (IOException | LeafLayerRejectedException e) {
                post(() -> core.partialFailed(e));
                return;
            } catch (RuntimeException e) {
                post(() -> core.internalError(e));
                return;
            }
            runOrElse(() -> {
                partial = started;
                stateSaves = StateSaveRule.standard(started.bytesDone(), started.lengthBytes());
                core.partialStarted();
            }, () -> closeQuietly(started));
        });
    }

    @Override
    public void writeSpan(long requestId, int height, long index, ByteBuffer data) {
        PartialDownload target = partial;
        Span owner = arriving;
        disk.execute(() -> {
            try {
                target.writeSpan(height, index, data);
                long doneNow = target.bytesDone();
                post(() -> {
                    stateWritten(target, doneNow);
                    core.spanWritten(requestId, doneNow);
                });
            } catch (SpanRejectedException e) {
                post(() -> core.spanRejected(requestId, e.getMessage()));
            } catch (IOException e) {
                post(() -> core.diskFailed(e, false));
            } catch (IllegalStateException e) {
                post(() -> core.diskFailed(e, true));
            } finally {
                if (owner != null) {
                    owner.recycle(); // nothing reads its bytes any more: written, or refused
                }
            }
        });
    }

    /**
     * Saves the partial download's state when {@link StateSaveRule} says so after a span was
     * written: at most {@link StateSaveRule#SAVE_AFTER_MILLIS} after it (also when no further span
     * comes: a burst, then a slow or silent holder), and every {@link StateSaveRule#SAVE_EVERY_BYTES}
     * (a quarter of that in the file's last {@link StateSaveRule#SAVE_EVERY_BYTES}).
     */
    private void stateWritten(PartialDownload target, long heldBytes) {
        StateSaveRule rule = stateSaves;
        switch (rule.written(heldBytes)) {
            case SAVE_NOW -> saveState(target);
            case ARM_TIMER -> schedule(StateSaveRule.SAVE_AFTER_MILLIS, () -> {
                if (rule.timerFired()) {
                    saveState(target);
                }
            });
            case NONE -> { }
        }
    }

    private void saveState(PartialDownload target) {
        disk.execute(() -> {
            try {
                target.saveStateIfUnsaved();
            } catch (IOException e) {
                post(() -> core.diskFailed(e, false));
            }
        });
    }

    @Override
    public void complete() {
        PartialDownload target = partial;
        destination.whenNameable().whenComplete((ready, error) -> disk.execute(() -> {
            try {
                StoredFile file = target.complete(destination.path(), options.overwrite());
                post(() -> {
                    stored = file;
                    core.completed();
                });
            } catch (IOException | RuntimeException e) {
                post(() -> core.completeFailed(e));
            }
        }));
    }

    @Override
    public void closePartial() {
        PartialDownload target = partial;
        disk.execute(() -> {
            closeQuietly(target);
            post(core::partialClosed);
        });
    }

    private void closeQuietly(PartialDownload target) {
        try {
            target.close();
        } catch (IOException e) {
            if (e instanceof StorageFullException) {
                LOG.warn("could not save the state of the partial download of {}: {}", id, e.getMessage());
            } else {
                LOG.warn("could not save the state of the partial download of {}", id, e);
            }
        }
    }

    @Override
    public void progressed(DownloadProgress now) {
        progress = now;
        if (options.progressListener() != null) {
            try {
                options.progressListener().accept(now);
            } catch (RuntimeException e) {
                LOG.warn("progress listener of the download of {} failed", id, e);
            }
        }
    }

    @Override
    public void ended(Exception error) {
        if (ownsConnector) {
            connector.close();
        }
        PartialDownload target = partial;
        StoredFile file = stored;
        if (error != null && target != null) {
            // saved before the caller learns of the failure, so a new run resumes from it at once
            disk.execute(() -> {
                closeQuietly(target);
                result.completeExceptionally(error);
            });
        } else if (error != null) {
            result.completeExceptionally(error);
        } else {
            result.complete(file);
        }
        if (ownsDisk) {
            disk.close();
        }
    }

    /** A link's reports, as events of the core for holder {@code peer}, on the loop. */
    private final class Events implements PeerEvents {
        private final int peer;

        Events(int peer) {
            this.peer = peer;
        }

        @Override
        public void spanArrived(long token, Span span) {
            post(() -> {
                arriving = span;
                try {
                    core.spanArrived(peer, token, span);
                } finally {
                    arriving = null;
                }
            });
        }

        @Override
        public void hashesArrived(long token, Hashes hashes) {
            post(() -> core.hashesArrived(peer, token, hashes));
        }

        @Override
        public void requestFailed(long token, boolean busy, String reason) {
            post(() -> core.requestFailed(peer, token, busy, reason));
        }

        @Override
        public void have(Have have) {
            post(() -> core.have(peer, have));
        }

        @Override
        public void choked(boolean choked) {
            post(() -> core.choked(peer, choked));
        }

        @Override
        public void closed(String reason) {
            post(() -> core.linkClosed(peer, reason));
        }
    }
}
