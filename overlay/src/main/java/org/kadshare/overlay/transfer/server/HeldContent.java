package org.kadshare.overlay.transfer.server;

import java.io.IOException;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.overlay.transfer.wire.SpanFromFile;

/**
 * One piece of content the server can serve from, complete or partial. Reads may block on disk:
 * the server calls {@link #hashes} and {@link #span} on its disk threads only.
 */
interface HeldContent {
    long lengthBytes();

    Holdings holdings();

    /**
     * @throws NotHeldException if a leaf of the span is not held
     * @throws org.kadshare.storage.ContentChangedException if the file changed on disk
     */
    Hashes hashes(int requestId, int height, long index) throws IOException;

    /**
     * @throws NotHeldException if a leaf of the span is not held
     * @throws org.kadshare.storage.ContentChangedException if the file changed on disk
     */
    Span span(int requestId, int height, long index) throws IOException;

    /**
     * The reply to a span request as it is to be written: a {@link Span}, or a
     * {@link SpanFromFile} when the bytes can go from the file to the socket without being read.
     *
     * @throws NotHeldException if a leaf of the span is not held
     * @throws org.kadshare.storage.ContentChangedException if the file changed on disk
     */
    /**
     * A peer reported that a span it got from here failed verification: stop trusting any leaf
     * without hashing it again. Cheap and non-blocking (it runs on the event loop).
     */
    default void reportedBad() {
    }

    default Object spanReply(int requestId, int height, long index) throws IOException {
        return span(requestId, height, index);
    }
}
