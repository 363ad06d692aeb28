package org.kadshare.storage;

import java.util.Arrays;
import java.util.HexFormat;
import org.kadshare.storage.internal.NodeHashing;

/**
 * The proof that an aligned span of a file belongs to the file's {@link ContentId}: the file
 * length, the span's place in the tree and the sibling hashes on the path from the span's
 * subtree to the root (docs/PROTOCOL.md, "Spans and proofs").
 *
 * <p>Span {@code (height h, index j)} covers leaves {@code [j*2^h, (j+1)*2^h)} clipped to the leaf
 * count {@code c}, and must start before {@code c}. The proof carries exactly
 * {@code treeHeight - h} siblings, bottom-up; the compact constructor rejects any other count, so
 * a proof always describes a span that exists in a file of {@code lengthBytes} bytes. Check it
 * with {@link SpanVerifier}.
 *
 * @param lengthBytes   length {@code n} of the whole file in bytes
 * @param height        height {@code h} of the span's subtree (0 = one leaf)
 * @param index         index {@code j} of the span among the spans of that height
 * @param siblingHashes the sibling hashes, 32 bytes each, from height {@code h} up to just below
 *                      the root, concatenated
 */
public record SpanProof(long lengthBytes, int height, long index, byte[] siblingHashes) {
    private static final int H = NodeHashing.HASH_LENGTH_BYTES;

    /**
     * @throws IllegalArgumentException if the span does not exist in a file of {@code lengthBytes}
     *                                  bytes or the sibling count is not {@code treeHeight - h}
     */
    public SpanProof {
        checkSpan(lengthBytes, height, index);
        if (siblingHashes == null) {
            throw new IllegalArgumentException("sibling hashes are missing");
        }
        int expected = siblingCount(lengthBytes, height);
        if (siblingHashes.length != expected * H) {
            throw new IllegalArgumentException("a proof of a height-" + height + " span in a file of "
                    + lengthBytes + " bytes has " + expected + " sibling hashes (" + expected * H
                    + " bytes), got " + siblingHashes.length + " bytes");
        }
        siblingHashes = siblingHashes.clone();
    }

    /**
     * Number of sibling hashes in a proof of a height-{@code height} span of a file of
     * {@code lengthBytes} bytes: {@code log2(P) - height}.
     *
     * @throws IllegalArgumentException if no span of that height exists in such a file
     */
    public static int siblingCount(long lengthBytes, int height) {
        int treeHeight = NodeHashing.treeHeight(lengthBytes);
        if (height < 0 || height > treeHeight) {
            throw new IllegalArgumentException("span height " + height + " is outside [0, " + treeHeight
                    + "] for a file of " + lengthBytes + " bytes");
        }
        return treeHeight - height;
    }

    /**
     * Checks that span {@code (height, index)} exists in a file of {@code lengthBytes} bytes.
     *
     * @throws IllegalArgumentException naming what is out of range
     */
    static void checkSpan(long lengthBytes, int height, long index) {
        siblingCount(lengthBytes, height);
        long lastIndex = (NodeHashing.leafCount(lengthBytes) - 1) >>> height;
        if (index < 0 || index > lastIndex) {
            throw new IllegalArgumentException("span index " + index + " is outside [0, " + lastIndex
                    + "] for height " + height + " in a file of " + lengthBytes + " bytes");
        }
    }

    /** A copy of the concatenated sibling hashes. */
    @Override
    public byte[] siblingHashes() {
        return siblingHashes.clone();
    }

    /** A copy of sibling {@code i} (0 = the sibling of the span's own subtree). */
    public byte[] sibling(int i) {
        if (i < 0 || i >= siblingCount()) {
            throw new IllegalArgumentException("sibling " + i + " is outside [0, " + siblingCount() + ")");
        }
        return Arrays.copyOfRange(siblingHashes, i * H, (i + 1) * H);
    }

    /** Index of the span's first leaf. */
    public long firstLeaf() {
        return index << height;
    }

    /** Number of real (non-padding) leaves in the span: {@code 2^h} except for a clipped last span. */
    public long leafCount() {
        long c = NodeHashing.leafCount(lengthBytes);
        return Math.min(1L << height, c - firstLeaf());
    }

    /** Offset of the span's first byte in the file. */
    public long offsetBytes() {
        return firstLeaf() * NodeHashing.LEAF_SIZE_BYTES;
    }

    /** Number of file bytes in the span (0 only for the empty file's one leaf). */
    public long spanLengthBytes() {
        long c = NodeHashing.leafCount(lengthBytes);
        long end = firstLeaf() + leafCount();
        return end == c ? lengthBytes - offsetBytes() : leafCount() * NodeHashing.LEAF_SIZE_BYTES;
    }

    int siblingCount() {
        return siblingHashes.length / H;
    }

    byte[] siblingsView() {
        return siblingHashes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpanProof p && lengthBytes == p.lengthBytes && height == p.height
                && index == p.index && Arrays.equals(siblingHashes, p.siblingHashes);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Long.hashCode(lengthBytes) + height) + Long.hashCode(index))
                + Arrays.hashCode(siblingHashes);
    }

    @Override
    public String toString() {
        return "SpanProof[lengthBytes=" + lengthBytes + ", height=" + height + ", index=" + index
                + ", siblings=" + HexFormat.of().formatHex(siblingHashes) + "]";
    }
}
