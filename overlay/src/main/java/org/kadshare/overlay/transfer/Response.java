package org.kadshare.overlay.transfer;

import java.util.Objects;
import org.kadshare.overlay.transfer.wire.Frame;

/**
 * The answer to one request, with the timing a downloader schedules by.
 *
 * @param frame         the reply: a {@code Span}, {@code Hashes} or {@code ErrorFrame} (the peer
 *                      refused this request; the connection stays up). Not verified beyond framing.
 * @param rttNanos      from sending the request to the first bytes of the reply arriving
 * @param durationNanos from sending the request to the whole reply being decoded
 * @param bytes         the reply frame's size on the wire, prefix included
 */
public record Response(Frame frame, long rttNanos, long durationNanos, long bytes) {
    /** Checks the values. */
    public Response {
        Objects.requireNonNull(frame, "frame");
        if (rttNanos < 0 || durationNanos < 0 || bytes < 0) {
            throw new IllegalArgumentException("timings and sizes are never negative");
        }
    }
}
