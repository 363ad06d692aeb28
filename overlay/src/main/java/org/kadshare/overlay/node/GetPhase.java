package org.kadshare.overlay.node;

/** The phases of a {@code get}, in order. */
public enum GetPhase {
    FINDING_HOLDERS, CONNECTING, DOWNLOADING, VERIFYING, DONE, FAILED
}
