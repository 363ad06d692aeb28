package org.kadshare.overlay.transfer.download;

import java.util.Objects;

/**
 * How one download's run ends, and what it waits for first. Complete: every leaf is in, the links
 * close and the whole-file check and publish run; their outcome stands, and a failure after that
 * point (a cancel, say) changes nothing, since it would leave a complete file behind a "cancelled"
 * result. Failed: the links close, and what was verified is kept for a later run before the end
 * is reported: with the partial download open, it is closed once every span handed to the disk is
 * written or refused (the disk has several threads, so a close beside a write would save that
 * write's leaves while its event came after the end, and the run would report fewer bytes held
 * than it kept); with the partial download still starting, the spans kept meanwhile are written
 * to it first, then it is closed; with none, the run ends at once.
 *
 * <p>Sans-IO: the effects (closing links, the check, the close, the end) are the core's, through
 * {@link Core}; this holds only where the end stands.
 */
final class RunEnd {
    /** What the end does to the rest of the run. */
    interface Core {
        /** Closes every holder's link still open. */
        void closeLinks();

        /** Every byte is in: the whole-file check and publish start. */
        void complete();

        /** Whether spans handed to the disk are still being written or checked. */
        boolean writesPending();

        /** Saves and closes the partial download. */
        void closePartial();

        /** The run is over: published ({@code error} null) or failed. */
        void ended(Exception error);
    }

    private final Core core;
    /** Complete or failed: nothing new is asked or connected. */
    private boolean finishing;
    /** The whole-file check and publish are under way; their outcome stands. */
    private boolean completing;
    /** The run failed while the partial download was starting: the spans already in are written, then it closes. */
    private boolean drainingBeforeClose;
    /** The run failed with writes still on the disk: the partial download is closed when they are over. */
    private boolean closeWhenWritten;
    private Exception failure;
    private boolean done;

    RunEnd(Core core) {
        this.core = Objects.requireNonNull(core, "core");
    }

    /** Whether the run is over: no event changes anything any more. */
    boolean isDone() {
        return done;
    }

    /** Whether the run is completing or failing: nothing new is asked of the holders. */
    boolean isFinishing() {
        return finishing;
    }

    /** Every leaf is verified and on disk: the links close and the whole-file check begins. */
    void allIn() {
        if (finishing || done) {
            return;
        }
        finishing = true;
        completing = true;
        core.closeLinks();
        core.complete();
    }

    /**
     * The run fails for {@code cause}; {@code partialStarting} if the partial download is being
     * started, {@code partialOpen} if it is open.
     */
    void fail(Exception cause, boolean partialStarting, boolean partialOpen) {
        if (done || completing) {
            return;
        }
        core.closeLinks();
        if (drainingBeforeClose) {
            return; // the partial download closes once the spans already in are written
        }
        if (partialStarting) {
            finishing = true;
            failure = cause;
            drainingBeforeClose = true;
            return;
        }
        if (partialOpen && !finishing) {
            finishing = true;
            failure = cause;
            closeOnceWritten();
        } else {
            end(cause);
        }
    }

    /**
     * The partial download started and the spans kept meanwhile went to the disk: true if the run
     * failed meanwhile, and the partial download now closes once they are written.
     */
    boolean partialStarted() {
        if (!drainingBeforeClose) {
            return false;
        }
        drainingBeforeClose = false;
        closeOnceWritten();
        return true;
    }

    /** The partial download could not start: true if the run had failed meanwhile, which ends now. */
    boolean partialFailed() {
        if (!drainingBeforeClose) {
            return false;
        }
        end(failure);
        return true;
    }

    /** Whether the run failed and waits for the writes on the disk before it closes the partial download. */
    boolean closesOnceWritten() {
        return closeWhenWritten;
    }

    /** A write handed to the disk is over: if the close waits for it and it was the last, close now. */
    void writeOver() {
        if (closeWhenWritten && !core.writesPending()) {
            closeWhenWritten = false;
            core.closePartial();
        }
    }

    /**
     * Writing failed for a reason other than the data: true if that is all (the close waited for
     * the writes and happens now, since which write failed is not known; or the run is ending and
     * the partial download was closed under the write, {@code closedUnderIt}); false if the run
     * fails for it.
     */
    boolean diskFailed(boolean closedUnderIt) {
        if (closeWhenWritten) {
            closeWhenWritten = false;
            core.closePartial();
            return true;
        }
        return closedUnderIt && finishing;
    }

    /** The partial download is saved and closed after the failure. */
    void partialClosed() {
        end(failure);
    }

    /** The run is over: published ({@code error} null) or failed; only the first end counts. */
    void end(Exception error) {
        if (done) {
            return;
        }
        done = true;
        core.ended(error);
    }

    private void closeOnceWritten() {
        closeWhenWritten = core.writesPending();
        if (!closeWhenWritten) {
            core.closePartial();
        }
    }
}
