package org.kadshare.overlay.transfer.wire;

import java.util.Arrays;
import java.util.Objects;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * The reply to {@link GetHashes}: the leaf hashes of the span, in order, with the span's proof.
 * The requester checks them with {@code SpanVerifier.verifyLeafHashes}; the frame itself only
 * guarantees the shape (the sibling count and hash count fit the file length and span).
 *
 * @param requestId  the request answered
 * @param proof      the span's proof; its length, height and index name the span
 * @param leafHashes 32 bytes per real leaf of the span (copied)
 */
public record Hashes(int requestId, SpanProof proof, byte[] leafHashes) implements Frame {
    /** Checks the hash count against the span and the frame limit. */
    public Hashes {
        RequestIds.check(requestId);
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(leafHashes, "leafHashes");
        long expected = proof.leafCount() * MerkleTree.HASH_LENGTH_BYTES;
        if (leafHashes.length != expected) {
            throw new IllegalArgumentException("span (" + proof.height() + ", " + proof.index() + ") has "
                    + proof.leafCount() + " leaf hashes (" + expected + " bytes), got " + leafHashes.length);
        }
        if (FrameCodec.proofFrameLength(proof) + leafHashes.length > Limits.MAX_FRAME_LENGTH_BYTES) {
            throw new IllegalArgumentException("the leaf hashes of span (" + proof.height() + ", " + proof.index()
                    + ") do not fit in one frame");
        }
        leafHashes = leafHashes.clone();
    }

    /** Whether the hashes of span {@code (height, index)} of a file of {@code lengthBytes} fit one frame. */
    public static boolean fits(long lengthBytes, int height, long index) {
        SpanProof shape = new SpanProof(lengthBytes, height, index,
                new byte[SpanProof.siblingCount(lengthBytes, height) * MerkleTree.HASH_LENGTH_BYTES]);
        return FrameCodec.proofFrameLength(shape) + shape.leafCount() * MerkleTree.HASH_LENGTH_BYTES
                <= Limits.MAX_FRAME_LENGTH_BYTES;
    }

    /** A copy of the leaf hashes. */
    @Override
    public byte[] leafHashes() {
        return leafHashes.clone();
    }

    byte[] leafHashesView() {
        return leafHashes;
    }

    @Override
    public FrameType type() {
        return FrameType.HASHES;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hashes h && requestId == h.requestId && proof.equals(h.proof)
                && Arrays.equals(leafHashes, h.leafHashes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * requestId + proof.hashCode()) + Arrays.hashCode(leafHashes);
    }

    @Override
    public String toString() {
        return "Hashes[requestId=" + requestId + ", span=(" + proof.height() + ", " + proof.index() + "), "
                + leafHashes.length / MerkleTree.HASH_LENGTH_BYTES + " hashes]";
    }
}
