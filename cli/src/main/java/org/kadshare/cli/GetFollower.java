package org.kadshare.cli;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kadshare.overlay.node.GetPhase;
import org.kadshare.overlay.node.GetTask;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.storage.StoredFile;

/**
 * Follows a running {@code get} by polling its task, and turns it into events: a {@code phase}
 * event at each phase change, a {@code progress} event at most every {@link #INTERVAL_MILLIS}
 * while downloading, and {@code done} at the end. If the consumer fails (the control client went
 * away) the fetch is cancelled, which keeps what was verified for a resume.
 */
final class GetFollower {
    static final long INTERVAL_MILLIS = 250;
    /** A quiet stream still sends a {@code tick} this often, so a vanished client is noticed. */
    static final long TICK_MILLIS = 1_000;

    /** Receives events; an IOException means nobody listens any more. */
    @FunctionalInterface
    interface Events {
        void emit(Map<String, Object> event) throws IOException;
    }

    private GetFollower() {
    }

    /** Blocks until the task ends; returns the stored file or throws the task's failure. */
    static StoredFile follow(GetTask task, Events events) throws Exception {
        long startNanos = System.nanoTime();
        TransferLog.started(task.id(), task.destination());
        try {
            StoredFile f = poll(task, events);
            TransferLog.finished(task.id(), f.lengthBytes(), System.nanoTime() - startNanos, task.progress());
            return f;
        } catch (Exception e) {
            TransferLog.failed(task.id(), System.nanoTime() - startNanos, Failures.classify(e).message(),
                    task.progress());
            throw e;
        }
    }

    private static StoredFile poll(GetTask task, Events events) throws Exception {
        GetPhase shown = null;
        DownloadProgress lastProgress = null;
        long quietLoops = 0;
        try {
            while (true) {
                if (++quietLoops * INTERVAL_MILLIS >= TICK_MILLIS) {
                    events.emit(Map.of("event", "tick"));
                    quietLoops = 0;
                }
                GetPhase phase = task.phase();
                if (phase != shown && phase != GetPhase.DONE && phase != GetPhase.FAILED) {
                    events.emit(NodeJson.phase(phase));
                    shown = phase;
                    quietLoops = 0;
                }
                DownloadProgress p = task.progress();
                if (p != null && !p.equals(lastProgress) && phase != GetPhase.FAILED) {
                    events.emit(NodeJson.progress(phase, p));
                    lastProgress = p;
                    quietLoops = 0;
                }
                try {
                    StoredFile f = task.result().get(INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
                    events.emit(NodeJson.done(task, f));
                    return f;
                } catch (TimeoutException e) {
                    continue;
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } catch (IOException | InterruptedException e) {
            if (!task.result().isDone()) {
                task.cancel();
            }
            throw e;
        }
    }
}
