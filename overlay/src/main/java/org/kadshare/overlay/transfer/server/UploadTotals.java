package org.kadshare.overlay.transfer.server;

/**
 * What one content has uploaded since the server started.
 *
 * @param bytesServed span data served to peers
 * @param spansServed SPAN frames served
 * @param sessions    peer sessions whose HANDSHAKE for it was accepted
 */
public record UploadTotals(long bytesServed, long spansServed, long sessions) {
    /** Nothing served yet. */
    public static final UploadTotals NONE = new UploadTotals(0, 0, 0);
}
