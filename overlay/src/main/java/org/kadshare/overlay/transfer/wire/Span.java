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
 * <p>A class rather than a record so that a span can take over an array nobody else holds (the
 * decoder's, a fresh read's) with {@link #adopting} instead of copying a megabyte once more; it is
 * immutable all the same: the array never leaves it except as a copy or a read-only view, until
 * its last user {@linkplain #recycle recycles} it.
 */
public final class Span implements Frame {
    private final int requestId;
    private final SpanProof proof;
    private final byte[] data;
    /** Whether {@link #recycle} may give the array to the pool: it came from there, and has not gone back. */
    private boolean fromPool;

    /**
     * A span of a copy of {@code data}.
     *
     * @param requestId the request answered
     * @param proof     the span's proof; its length, height and index name the span
     * @param data      the span's bytes, exactly {@code proof.spanLengthBytes()}, at most
     *                  {@link Limits#MAX_SPAN_BYTES}
     */
    public Span(int requestId, SpanProof proof, byte[] data) {
        this(Objects.requireNonNull(data, "data").clone(), requestId, proof);
    }

    private Span(byte[] owned, int requestId, SpanProof proof) {
        RequestIds.check(requestId);
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(owned, "data");
        if (owned.length != proof.spanLengthBytes()) {
            throw new IllegalArgumentException("span (" + proof.height() + ", " + proof.index() + ") is "
                    + proof.spanLengthBytes() + " bytes, got " + owned.length);
        }
        if (owned.length > Limits.MAX_SPAN_BYTES) {
            throw new IllegalArgumentException("span (" + proof.height() + ", " + proof.index() + ") is "
                    + owned.length + " bytes, more than the limit of " + Limits.MAX_SPAN_BYTES);
        }
        this.requestId = requestId;
        this.proof = proof;
        this.data = owned;
    }

    /**
     * A span that takes {@code data} over without copying it, checked as by the constructor. The
     * caller hands the array over: it must hold no other reference to it, or at least never write
     * to it again.
     */
    public static Span adopting(int requestId, SpanProof proof, byte[] data) {
        return new Span(Objects.requireNonNull(data, "data"), requestId, proof);
    }

    /** The request answered. */
    public int requestId() {
        return requestId;
    }

    /** The span's proof. */
    public SpanProof proof() {
        return proof;
    }

    /** A copy of the bytes. */
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

    /**
     * Gives the span's array back to {@link SpanArrays#shared()} for a later SPAN frame. Only the
     * span's last user calls it, when nothing reads the span or a view of it any more (a download
     * does once the span's bytes are written to disk or rejected); the span must not be used
     * after. Only a span the decoder made gives its array, and only once: any other, or a second
     * call, does nothing. A span that is never recycled is simply collected.
     */
    public void recycle() {
        if (fromPool) {
            fromPool = false;
            SpanArrays.shared().giveBack(data);
        }
    }

    /** A span the decoder filled into {@code pooled}, an array from {@link SpanArrays#shared()}. */
    static Span decoded(int requestId, SpanProof proof, byte[] pooled) {
        Span s = new Span(pooled, requestId, proof);
        s.fromPool = true;
        return s;
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
