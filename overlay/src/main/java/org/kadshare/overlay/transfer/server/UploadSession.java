package org.kadshare.overlay.transfer.server;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.kadshare.overlay.transfer.PeerClass;
import org.kadshare.storage.ContentId;

/**
 * The counters of one upload session, written on the server's event loop and read by snapshots
 * from any thread.
 */
final class UploadSession {
    private final long number;
    private final InetSocketAddress peer;
    private final PeerClass peerClass;
    private final ContentId id;
    private final long lengthBytes;
    private final long startNanos;
    private final LongAdder bytes = new LongAdder();
    private final LongAdder spans = new LongAdder();

    UploadSession(long number, InetSocketAddress peer, ContentId id, long lengthBytes, long startNanos) {
        this.number = number;
        this.peer = peer;
        this.peerClass = PeerClass.of(peer.getAddress());
        this.id = id;
        this.lengthBytes = lengthBytes;
        this.startNanos = startNanos;
    }

    void served(long dataBytes) {
        bytes.add(dataBytes);
        spans.increment();
    }

    long number() {
        return number;
    }

    InetSocketAddress peer() {
        return peer;
    }

    PeerClass peerClass() {
        return peerClass;
    }

    ContentId id() {
        return id;
    }

    UploadSnapshot snapshot(long nowNanos) {
        return new UploadSnapshot(number, peer, id, lengthBytes, bytes.sum(), spans.sum(),
                TimeUnit.NANOSECONDS.toMillis(Math.max(0, nowNanos - startNanos)));
    }
}
