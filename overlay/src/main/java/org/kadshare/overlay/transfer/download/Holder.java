package org.kadshare.overlay.transfer.download;

import java.net.InetSocketAddress;

/**
 * What a {@link DownloadCore} knows of one holder: its place in the schedule, its connection state,
 * its link once connected, and what it delivered. Mutated only by the core, on its one thread.
 */
final class Holder {
    final int peer;
    final InetSocketAddress address;
    PeerProgress.State state = PeerProgress.State.WAITING;
    PeerLink link;
    String failure = "";
    long bytesFetched;
    long spansFetched;
    long rejectedSpans;
    long stalledSinceNanos = -1;
    /** Since when, while connected, it has held nothing this download lacks; -1 if it holds some. */
    long uselessSinceNanos = -1;
    /** Not asked again (nor connected again, while WAITING) before this time after a BUSY; -1 if none. */
    long busyUntilNanos = -1;
    /** BUSY answers in a row (to the connection, the leaf hashes or a span); reset by any delivery. */
    int busyInARow;
    /** Connections tried so far; a connect timeout applies to its own try only. */
    int connectAttempts;
    /** Whether it choked this download and has not unchoked it since: asked for no leaf hashes meanwhile. */
    boolean chokesUs;
    /** The file length this holder gave in its handshake, once connected. */
    long claimedLengthBytes = -1;

    Holder(int peer, InetSocketAddress address) {
        this.peer = peer;
        this.address = address;
    }

    boolean live() {
        return state == PeerProgress.State.CONNECTING || state == PeerProgress.State.CONNECTED;
    }

    PeerProgress progress() {
        return new PeerProgress(address, state, bytesFetched, spansFetched, rejectedSpans, failure);
    }
}
