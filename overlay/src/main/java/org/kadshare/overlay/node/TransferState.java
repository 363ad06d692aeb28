package org.kadshare.overlay.node;

/**
 * Where a transfer stands. A download is {@code RUNNING} (in one of the {@link GetPhase}s), or
 * {@code PAUSED} (stopped, its verified part kept, resumable), until it ends {@code DONE},
 * {@code FAILED} (resumable: resuming retries it) or {@code CANCELLED} (its verified part removed).
 * An upload is {@code RUNNING} while its peer's session lasts.
 */
public enum TransferState {
    RUNNING, PAUSED, DONE, FAILED, CANCELLED;

    /** Whether the transfer is over for good: nothing will change it any more. */
    public boolean finished() {
        return this == DONE || this == CANCELLED;
    }
}
