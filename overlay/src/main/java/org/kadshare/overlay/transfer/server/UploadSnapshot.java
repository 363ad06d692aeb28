package org.kadshare.overlay.transfer.server;

import java.net.InetSocketAddress;
import org.kadshare.storage.ContentId;

/**
 * An upload in progress: one peer's connection to the block server for one content, from its
 * accepted HANDSHAKE on.
 *
 * @param sessionNumber  this server's number for the session, increasing from 1 in the order they began
 * @param peer           the downloading peer
 * @param id             the content it fetches
 * @param lengthBytes    the content's length
 * @param bytesServed    span data handed to its connection so far
 * @param spansServed    SPAN frames handed to it so far
 * @param elapsedMillis  since the handshake was accepted
 */
public record UploadSnapshot(long sessionNumber, InetSocketAddress peer, ContentId id, long lengthBytes, long bytesServed,
        long spansServed, long elapsedMillis) {

    /** Average bytes per second over the session so far (0 in its first millisecond). */
    public double bytesPerSecond() {
        return elapsedMillis <= 0 ? 0 : bytesServed * 1000.0 / elapsedMillis;
    }
}
