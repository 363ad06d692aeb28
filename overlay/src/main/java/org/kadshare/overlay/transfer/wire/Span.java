package org.kadshare.overlay.transfer.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.kadshare.storage.SpanProof;

/**
 * The reply to {@link GetSpan}: the span's bytes with its proof. The frame only guarantees the
 * shape (the data length and sibling count fit the file length and span); the downloader checks
 * the bytes against the leaf hashes or the content ID before it writes them.
 *
 * @param requestId the request answered
 * @param proof     the span's proof; its length, height and index name the span
 * @param data      the span's bytes, exactly {@code proof.spanLengthBytes()}, at most
 *                  {@link Limits#MAX_SPAN_BYTES} (copied)
 */
public record Span(int requestId, SpanProof proof, byte[] data) implements Frame {
    /** Checks the data length against the span and the limit. */
    public Span {
        RequestIds.check(requestId);
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(data, "data");
        if (data.length != proof.spanLengthBytes()) {
            throw new IllegalArgumentException("span (" + proof.height() + ", " + proof.index() + ") is "
                    + proof.spanLengthBytes() + " bytes, got " + data.length);
        }
        if (data.length > Limits.MAX_SPAN_BYTES) {
            throw new IllegalArgumentException("span (" + proof.height() + ", " + proof.index() + ") is "
                    + data.length + " bytes, more than the limit of " + Limits.MAX_SPAN_BYTES);
        }
        data = data.clone();
    }

    /** A copy of the bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The bytes as a read-only buffer, without a copy. */
    public ByteBuffer dataView() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /** The span's height. */
    public int height() {
        return proof.height();
    }

    /** The span's index. */
    public long index() {
        return proof.index();
    }

    byte[] dataArray() {
        return data;
    }

    @Override
    public FrameType type() {
        return FrameType.SPAN;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Span s && requestId == s.requestId && proof.equals(s.proof) && Arrays.equals(data, s.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * requestId + proof.hashCode()) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Span[requestId=" + requestId + ", span=(" + proof.height() + ", " + proof.index() + "), "
                + data.length + " bytes]";
    }
}
