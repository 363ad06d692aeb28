package org.kadshare.overlay.transfer.server;

import java.io.IOException;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;

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
}
