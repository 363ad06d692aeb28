package org.kadshare.overlay.node;

/** What a user may ask of a download. */
public enum TransferCommand {
    PAUSE, RESUME, CANCEL
}
