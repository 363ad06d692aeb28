package org.kadshare.overlay.transfer;

import java.util.Objects;
import org.kadshare.overlay.transfer.wire.Frame;

/**
 * The answer to one request, with its size.
 *
 * @param frame         the reply: a {@code Span}, {@code Hashes} or {@code ErrorFrame} (the peer
 *                      refused this request; the connection stays up). Not verified beyond framing.
 * @param bytes         the reply frame's size on the wire, prefix included
 */
public record Response(Frame frame, long bytes) {
    /** Checks the values. */
    public Response {
        Objects.requireNonNull(frame, "frame");
        if (bytes < 0) {
            throw new IllegalArgumentException("a size is never negative");
        }
    }
}
