package org.kadshare.overlay.transfer.download;

import java.net.InetSocketAddress;

/**
 * One holder's part in a download.
 *
 * @param address       the holder
 * @param state         where it stands
 * @param bytesFetched  verified bytes it delivered that were written (this run)
 * @param spansFetched  spans it delivered that verified
 * @param rejectedSpans spans it delivered that failed verification (one bans it)
 * @param failure       why it dropped out, or empty
 */
public record PeerProgress(InetSocketAddress address, State state, long bytesFetched, long spansFetched,
        long rejectedSpans, String failure) {

    /** Where a holder stands in a download. */
    public enum State {
        /** Not tried yet. */
        WAITING,
        /** Connecting or handshaking. */
        CONNECTING,
        /** Connected and serving. */
        CONNECTED,
        /** Gone: refused, disconnected, stalled for too long or did not hold the content. */
        FAILED,
        /** Sent data that failed verification: never asked again in this download. */
        BANNED
    }
}
