package org.kadshare.overlay.transfer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import org.kadshare.storage.SpanProof;

/**
 * A whole SPAN frame already encoded in one buffer (length prefix, type, request ID, proof, data),
 * read from the file by {@link SpanFromFile#readInto}: what a holder sends on an encrypted channel,
 * where the data cannot go from the file to the socket. {@link FrameEncoder} passes the buffer on
 * as it is. Reference-counted through its buffer, so Netty releases it wherever it drops it.
 * Outbound only.
 */
public final class SpanInBuffer extends DefaultByteBufHolder {
    private final SpanProof proof;

    SpanInBuffer(ByteBuf frame, SpanProof proof) {
        super(frame);
        this.proof = proof;
    }

    /** The span's proof (its length is the data's). */
    public SpanProof proof() {
        return proof;
    }
}
