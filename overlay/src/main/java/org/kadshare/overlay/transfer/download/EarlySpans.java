package org.kadshare.overlay.transfer.download;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The spans that arrived after the length was proven but before the partial download started
 * (the leaf layer was still coming in, or being written): kept in memory, in arrival order, and
 * handed to the disk, which verifies them against the layer, once the partial download has
 * started. Nothing here is written or served before it is verified. Their bytes count against the
 * core's pending-write bound, which is what keeps this list bounded.
 */
final class EarlySpans {
    private record Early(long requestId, int height, long index, ByteBuffer data) {
    }

    private final List<Early> spans = new ArrayList<>();

    /** Keeps span {@code (height, index)} of request {@code requestId} until {@link #writeTo}. */
    void keep(long requestId, int height, long index, ByteBuffer data) {
        spans.add(new Early(requestId, height, index, data));
    }

    /** Hands every span kept to {@code disk} to be verified and written, in arrival order, and forgets them. */
    void writeTo(DownloadEnvironment disk) {
        for (Early e : spans) {
            disk.writeSpan(e.requestId(), e.height(), e.index(), e.data());
        }
        spans.clear();
    }
}
