package org.kadshare.overlay.node;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.kadshare.overlay.node.GetFailedException.Reason;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.StoredFile;

/**
 * One download of the node's {@link Transfers}: a sequence of {@code get} attempts for the same
 * content and target, one at a time. Pausing stops the running attempt (the store keeps what it
 * verified); resuming starts a new one, which picks the verified part up. As a {@link GetTask} it
 * shows the whole sequence: {@link #result()} completes when a run ends other than by a pause.
 *
 * <p>Every field is guarded by the registry's lock, which the registry holds around each call.
 */
final class DownloadTransfer implements GetTask {
    private final Transfers registry;
    private final String transferId;
    private final ContentId id;
    private final GetTarget target;
    private final GetOptions options;
    private final boolean detached;
    private final long startNanos;
    private TransferState state = TransferState.RUNNING;
    private GetTask attempt;
    private boolean attemptRunning;
    private boolean restartWhenStopped;
    private boolean discardWhenStopped;
    private DownloadProgress lastProgress;
    private Path lastDestination;
    private String message;
    private CompletableFuture<StoredFile> result = new CompletableFuture<>();

    DownloadTransfer(Transfers registry, String transferId, ContentId id, GetTarget target, GetOptions options,
            boolean detached, long startNanos) {
        this.registry = registry;
        this.transferId = transferId;
        this.id = id;
        this.target = target;
        this.options = options;
        this.detached = detached;
        this.startNanos = startNanos;
    }

    String transferId() {
        return transferId;
    }

    TransferState state() {
        return state;
    }

    /** Starts a run; under the registry's lock. */
    void startAttempt() {
        GetTask started = registry.starter().start(id, target, options.withListener(null));
        attempt = started;
        attemptRunning = true;
        started.result().whenComplete((stored, error) -> registry.attemptEnded(this, started, stored, error));
    }

    /** Under the registry's lock: applies a decided command. */
    void apply(TransferCommand command, TransferState next) {
        state = next;
        switch (command) {
            case PAUSE -> {
                restartWhenStopped = false;
                attempt.cancel();
            }
            case RESUME -> {
                message = null;
                if (result.isDone()) {
                    result = new CompletableFuture<>();
                }
                if (attemptRunning) {
                    restartWhenStopped = true;
                } else {
                    startAttempt();
                }
            }
            case CANCEL -> {
                restartWhenStopped = false;
                message = "cancelled; the verified part was removed";
                if (attemptRunning) {
                    discardWhenStopped = true;
                    attempt.cancel();
                } else {
                    registry.discardPartial(this);
                }
                result.completeExceptionally(new GetFailedException(Reason.CANCELLED,
                        "the download of " + id + " (" + transferId + ") was cancelled", null));
            }
        }
    }

    /**
     * Under the registry's lock: the client following a foreground download went away. It stops
     * as any interrupted get does, keeping the verified part for a later get of the same content.
     */
    void abandon() {
        if (state != TransferState.RUNNING && state != TransferState.PAUSED) {
            return;
        }
        state = TransferState.CANCELLED;
        message = "stopped: its client went away; the verified part is kept";
        restartWhenStopped = false;
        if (attemptRunning) {
            attempt.cancel();
        }
        result.completeExceptionally(new GetFailedException(Reason.CANCELLED,
                "the download of " + id + " was cancelled; the verified part is kept", null));
    }

    /** Under the registry's lock: run {@code ended} is over. */
    void ended(GetTask ended, StoredFile stored, Throwable error) {
        if (ended != attempt) {
            return;
        }
        attemptRunning = false;
        keepLast(ended);
        if (stored != null) {
            state = TransferState.DONE;
            message = null;
            result.complete(stored);
            return;
        }
        if (discardWhenStopped) {
            discardWhenStopped = false;
            registry.discardPartial(this);
            return;
        }
        if (state == TransferState.CANCELLED) {
            return;
        }
        if (restartWhenStopped) {
            restartWhenStopped = false;
            startAttempt();
            return;
        }
        if (state == TransferState.PAUSED) {
            return;
        }
        state = TransferState.FAILED;
        message = error.getMessage();
        result.completeExceptionally(error);
    }

    private void keepLast(GetTask task) {
        if (task.progress() != null) {
            lastProgress = task.progress();
        }
        if (task.destination() != null) {
            lastDestination = task.destination();
        }
    }

    /** Under the registry's lock. */
    Transfer snapshot(long nowNanos) {
        if (attemptRunning) {
            keepLast(attempt);
        }
        boolean moving = state == TransferState.RUNNING && attemptRunning;
        DownloadProgress p = lastProgress;
        List<TransferPeer> peers = p == null ? List.of() : p.peers().stream()
                .map(peer -> new TransferPeer(peer.address(), peer.bytesFetched(), peer.state().name())).toList();
        return new Transfer(transferId, Transfer.Direction.DOWNLOAD, id, state, moving ? attempt.phase() : null,
                detached, lastDestination, p == null ? 0 : p.bytesDone(), p == null ? -1 : p.totalBytes(),
                moving && p != null ? p.bytesPerSecond() : 0, moving && p != null ? p.etaMillis() : -1,
                TimeUnit.NANOSECONDS.toMillis(Math.max(0, nowNanos - startNanos)), peers, message);
    }

    /** The holders the latest run knew, or none. */
    int holdersSeen() {
        return lastProgress == null ? 0 : lastProgress.peers().size();
    }

    // GetTask: the whole sequence of runs, as one get.

    @Override
    public ContentId id() {
        return id;
    }

    @Override
    public GetPhase phase() {
        synchronized (registry) {
            return switch (state) {
                case RUNNING -> attempt.phase();
                case PAUSED -> GetPhase.PAUSED;
                case DONE -> GetPhase.DONE;
                case FAILED, CANCELLED -> GetPhase.FAILED;
            };
        }
    }

    @Override
    public DownloadProgress progress() {
        synchronized (registry) {
            if (attemptRunning) {
                keepLast(attempt);
            }
            return lastProgress;
        }
    }

    @Override
    public CompletableFuture<StoredFile> result() {
        synchronized (registry) {
            return result;
        }
    }

    @Override
    public Path destination() {
        synchronized (registry) {
            if (attemptRunning) {
                keepLast(attempt);
            }
            return lastDestination;
        }
    }

    @Override
    public int collectionFiles() {
        synchronized (registry) {
            return attempt.collectionFiles();
        }
    }

    /** Stops it for good, keeping the verified part: what a get does when its client goes away. */
    @Override
    public void cancel() {
        synchronized (registry) {
            abandon();
        }
    }
}
