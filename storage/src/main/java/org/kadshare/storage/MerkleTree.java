package org.kadshare.storage;

import java.security.MessageDigest;
import org.kadshare.storage.internal.HashArray;
import org.kadshare.storage.internal.NodeHashing;

/**
 * The complete Merkle tree of one file (docs/PROTOCOL.md, section 1): every level from the leaf
 * hashes to the root, so that it answers the content ID, any node and any {@link SpanProof}.
 *
 * <p>Memory: only real nodes are stored (a node whose subtree is all padding is computed, not
 * kept), about {@code 2c} hashes for {@code c} leaves: 64 bytes per 16 KiB leaf, 4 MiB per GiB
 * of file. Build one with {@link ContentHasher}, {@link #fromLeafHashes} or {@link #builder}.
 * Immutable and thread-safe.
 */
public final class MerkleTree {
    /** Leaf size {@code L}: 16 KiB. */
    public static final int LEAF_SIZE_BYTES = NodeHashing.LEAF_SIZE_BYTES;
    /** Size of every hash in the tree. */
    public static final int HASH_LENGTH_BYTES = NodeHashing.HASH_LENGTH_BYTES;

    private static final int H = HASH_LENGTH_BYTES;

    private final long lengthBytes;
    private final HashArray[] levels;
    private final ContentId contentId;

    private MerkleTree(long lengthBytes, HashArray leaves) {
        this.lengthBytes = lengthBytes;
        int height = NodeHashing.treeHeight(lengthBytes);
        levels = new HashArray[height + 1];
        levels[0] = leaves;
        MessageDigest md = NodeHashing.newDigest();
        byte[] left = new byte[H];
        byte[] right = new byte[H];
        byte[] parent = new byte[H];
        for (int k = 1; k <= height; k++) {
            HashArray below = levels[k - 1];
            HashArray level = new HashArray((below.size() + 1) / 2);
            for (long i = 0; i < level.size(); i++) {
                below.get(2 * i, left, 0);
                if (2 * i + 1 < below.size()) {
                    below.get(2 * i + 1, right, 0);
                    NodeHashing.nodeHash(md, left, 0, right, 0, parent, 0);
                } else {
                    NodeHashing.nodeHash(md, left, 0, NodeHashing.padHash(k - 1), 0, parent, 0);
                }
                level.set(i, parent, 0);
            }
            levels[k] = level;
        }
        contentId = ContentId.of(NodeHashing.idHash(md, lengthBytes, root()));
    }

    /**
     * The tree of a file of {@code lengthBytes} bytes whose leaf hashes are {@code leafHashes},
     * 32 bytes each, back to back (exactly {@link #leafCount(long)} of them).
     */
    public static MerkleTree fromLeafHashes(long lengthBytes, byte[] leafHashes) {
        Builder builder = builder(lengthBytes);
        long expected = builder.leaves.size();
        if (leafHashes == null || leafHashes.length != expected * H) {
            throw new IllegalArgumentException("a file of " + lengthBytes + " bytes has " + expected
                    + " leaf hashes (" + expected * H + " bytes), got "
                    + (leafHashes == null ? "none" : leafHashes.length + " bytes"));
        }
        for (int i = 0; i < expected; i++) {
            builder.leaves.set(i, leafHashes, i * H);
        }
        builder.next = expected;
        return builder.build();
    }

    /** A sink that collects the leaf hashes of a file of {@code lengthBytes} bytes, in order. */
    public static Builder builder(long lengthBytes) {
        return new Builder(lengthBytes);
    }

    /** Leaf count {@code c = max(1, ceil(n / 16 KiB))} of a file of {@code lengthBytes} bytes. */
    public static long leafCount(long lengthBytes) {
        return NodeHashing.leafCount(lengthBytes);
    }

    /** Height {@code log2(P)} of the padded tree of a file of {@code lengthBytes} bytes. */
    public static int treeHeight(long lengthBytes) {
        return NodeHashing.treeHeight(lengthBytes);
    }

    /** The file's content ID. */
    public ContentId contentId() {
        return contentId;
    }

    /** Length of the file in bytes. */
    public long lengthBytes() {
        return lengthBytes;
    }

    /** Number of (real) leaves. */
    public long leafCount() {
        return levels[0].size();
    }

    /** Height of the padded tree: {@code log2(P)}, 0 for a one-leaf file. */
    public int height() {
        return levels.length - 1;
    }

    /** A copy of the root hash. */
    public byte[] root() {
        return node(height(), 0);
    }

    /** A copy of leaf hash {@code leafIndex}. */
    public byte[] leafHash(long leafIndex) {
        if (leafIndex < 0 || leafIndex >= leafCount()) {
            throw new IllegalArgumentException("leaf " + leafIndex + " is outside [0, " + leafCount() + ")");
        }
        return node(0, leafIndex);
    }

    /**
     * {@code count} leaf hashes from {@code firstLeaf} on, back to back: the run a span's
     * {@link SpanVerifier#verifyLeafHashes} check takes.
     */
    public byte[] leafHashes(long firstLeaf, int count) {
        if (firstLeaf < 0 || count < 0 || count > leafCount() - firstLeaf) {
            throw new IllegalArgumentException("leaves [" + firstLeaf + ", " + firstLeaf + " + " + count
                    + ") are not within [0, " + leafCount() + ")");
        }
        byte[] out = new byte[Math.multiplyExact(count, H)];
        for (int i = 0; i < count; i++) {
            levels[0].get(firstLeaf + i, out, i * H);
        }
        return out;
    }

    /**
     * A copy of the node at {@code height} with index {@code index} in the padded tree; a node
     * whose subtree is all padding is the padding hash of that height.
     */
    public byte[] node(int height, long index) {
        if (height < 0 || height > height() || index < 0 || index >= (1L << (height() - height))) {
            throw new IllegalArgumentException("node (" + height + ", " + index
                    + ") is not in a tree of height " + height());
        }
        HashArray level = levels[height];
        if (index >= level.size()) {
            return NodeHashing.padHash(height).clone();
        }
        byte[] out = new byte[H];
        level.get(index, out, 0);
        return out;
    }

    /**
     * The proof of span {@code (height, index)}: leaves {@code [index*2^height, (index+1)*2^height)}
     * clipped to the leaf count.
     *
     * @throws IllegalArgumentException if the span does not exist in this file
     */
    public SpanProof proof(int height, long index) {
        SpanProof.checkSpan(lengthBytes, height, index);
        int siblings = height() - height;
        byte[] path = new byte[siblings * H];
        for (int s = 0; s < siblings; s++) {
            int k = height + s;
            long sibling = (index >>> s) ^ 1;
            byte[] node = node(k, sibling);
            System.arraycopy(node, 0, path, s * H, H);
        }
        return new SpanProof(lengthBytes, height, index, path);
    }

    @Override
    public String toString() {
        return "MerkleTree[id=" + contentId + ", lengthBytes=" + lengthBytes + ", leaves=" + leafCount() + "]";
    }

    /**
     * Collects a file's leaf hashes in order (it is a {@link LeafHashSink}) and then builds its
     * tree. Not thread-safe.
     */
    public static final class Builder implements LeafHashSink {
        private final long lengthBytes;
        private final HashArray leaves;
        private long next;

        private Builder(long lengthBytes) {
            this.lengthBytes = lengthBytes;
            this.leaves = new HashArray(NodeHashing.leafCount(lengthBytes));
        }

        /** Takes leaf hash {@code leafIndex}, which must be the next one in order. */
        @Override
        public void accept(long leafIndex, byte[] leafHash) {
            if (leafIndex != next) {
                throw new IllegalArgumentException("expected leaf hash " + next + ", got " + leafIndex);
            }
            if (leafIndex >= leaves.size()) {
                throw new IllegalArgumentException("a file of " + lengthBytes + " bytes has only "
                        + leaves.size() + " leaves, got leaf hash " + leafIndex);
            }
            if (leafHash == null || leafHash.length != H) {
                throw new IllegalArgumentException("a leaf hash is " + H + " bytes, got "
                        + (leafHash == null ? "null" : leafHash.length));
            }
            leaves.set(next++, leafHash, 0);
        }

        /** Builds the tree once every leaf hash has been accepted. */
        public MerkleTree build() {
            if (next != leaves.size()) {
                throw new IllegalStateException("only " + next + " of " + leaves.size()
                        + " leaf hashes were given");
            }
            return new MerkleTree(lengthBytes, leaves);
        }
    }
}
