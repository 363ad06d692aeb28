package org.kadshare.cli;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.kadshare.overlay.node.GetPhase;
import org.kadshare.overlay.node.GetTask;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.storage.StoredFile;

/**
 * Follows a running {@code get} by polling its task every {@link #POLL_MILLIS}, and turns it into
 * events: a {@code phase} event at each phase change and the first {@code progress} event with
 * data as soon as the poll sees them, later {@code progress} events at most every
 * {@link #INTERVAL_MILLIS}, and {@code done} at the end. If the consumer fails (the control client
 * went away) the fetch is cancelled, which keeps what was verified for a resume.
 */
final class GetFollower {
    /** Progress while data flows is shown at most this often. */
    static final long INTERVAL_MILLIS = 250;
    /**
     * How often the task is looked at: a phase change or the first verified bytes show this late
     * at most (polling at {@link #INTERVAL_MILLIS} put up to a quarter second on the time to first
     * byte a caller of {@code get} sees, at every phase of the start).
     */
    static final long POLL_MILLIS = 20;
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
            StoredFile f = poll(task, events, System::nanoTime);
            TransferLog.finished(task.id(), f.lengthBytes(), System.nanoTime() - startNanos, task.progress());
            return f;
        } catch (Exception e) {
            TransferLog.failed(task.id(), System.nanoTime() - startNanos, Failures.classify(e).message(),
                    task.progress());
            throw e;
        }
    }

    /** The polling loop, with the clock that paces progress and ticks given (tests move it by hand). */
    static StoredFile poll(GetTask task, Events events, LongSupplier nanoClock) throws Exception {
        GetPhase shown = null;
        DownloadProgress lastProgress = null;
        long lastProgressNanos = 0;
        long lastEventNanos = nanoClock.getAsLong();
        try {
            while (true) {
                long now = nanoClock.getAsLong();
                if (now - lastEventNanos >= TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS)) {
                    events.emit(Map.of("event", "tick"));
                    lastEventNanos = now;
                }
                GetPhase phase = task.phase();
                if (phase != shown && phase != GetPhase.DONE && phase != GetPhase.FAILED) {
                    events.emit(NodeJson.phase(phase));
                    shown = phase;
                    lastEventNanos = now;
                }
                DownloadProgress p = task.progress();
                if (p != null && !p.equals(lastProgress) && phase != GetPhase.FAILED
                        && progressDue(lastProgress, p, now - lastProgressNanos)) {
                    events.emit(NodeJson.progress(phase, p));
                    lastProgress = p;
                    lastProgressNanos = now;
                    lastEventNanos = now;
                }
                try {
                    StoredFile f = task.result().get(POLL_MILLIS, TimeUnit.MILLISECONDS);
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

    /**
     * Whether {@code now} is shown: the first progress, the first with verified bytes, one that
     * learned the length, or any once {@link #INTERVAL_MILLIS} passed since the last shown.
     */
    static boolean progressDue(DownloadProgress last, DownloadProgress now, long sinceLastNanos) {
        return last == null
                || (last.bytesDone() == 0 && now.bytesDone() > 0)
                || last.totalBytes() != now.totalBytes()
                || sinceLastNanos >= TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
    }
}
