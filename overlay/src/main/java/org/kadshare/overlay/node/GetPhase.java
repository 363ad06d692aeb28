package org.kadshare.overlay.node;

/**
 * The phases of a {@code get}, in order; {@code PAUSED} only for a download of the node's
 * {@link Transfers} that was paused (it goes back to the first phase when resumed).
 */
public enum GetPhase {
    FINDING_HOLDERS, CONNECTING, DOWNLOADING, VERIFYING, DONE, FAILED, PAUSED
}
