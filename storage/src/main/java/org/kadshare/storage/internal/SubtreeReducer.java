package org.kadshare.storage.internal;

import java.security.MessageDigest;

/**
 * Folds a left-to-right sequence of equal-height subtree roots into the root of the padded tree
 * above them, holding at most one node per height: O(log n) memory for a file of any size.
 *
 * <p>Design: the stack's heights strictly decrease from bottom to top; pushing a node merges it
 * with the top while both have the same height (a binary counter). At the end, the lowest node is
 * the rightmost incomplete subtree: it is paired with the all-padding subtree of its height
 * ({@link NodeHashing#padHash}) and merged upward until one node of the target height is left.
 * Not API; not thread-safe.
 */
public final class SubtreeReducer {
    private static final int H = NodeHashing.HASH_LENGTH_BYTES;

    private final MessageDigest md;
    private final int baseHeight;
    private final byte[][] nodes = new byte[NodeHashing.MAX_TREE_HEIGHT + 2][H];
    private final int[] heights = new int[NodeHashing.MAX_TREE_HEIGHT + 2];
    private int size;

    /** A reducer of nodes of height {@code baseHeight}, hashing with {@code md}. */
    public SubtreeReducer(MessageDigest md, int baseHeight) {
        this.md = md;
        this.baseHeight = baseHeight;
    }

    /** Appends the next subtree root (32 bytes of {@code node} at {@code offset}). */
    public void push(byte[] node, int offset) {
        System.arraycopy(node, offset, nodes[size], 0, H);
        heights[size++] = baseHeight;
        mergeEqualHeights();
    }

    /** The root of the tree of {@code targetHeight} whose leftmost subtrees were pushed. */
    public byte[] root(int targetHeight) {
        if (size == 0) {
            throw new IllegalStateException("no subtree was pushed, so there is no root");
        }
        while (size > 1 || heights[0] < targetHeight) {
            int top = size - 1;
            NodeHashing.nodeHash(md, nodes[top], 0, NodeHashing.padHash(heights[top]), 0, nodes[top], 0);
            heights[top]++;
            mergeEqualHeights();
        }
        if (heights[0] != targetHeight) {
            throw new IllegalStateException("pushed subtrees reach height " + heights[0]
                    + ", above the target height " + targetHeight);
        }
        return nodes[0].clone();
    }

    private void mergeEqualHeights() {
        while (size >= 2 && heights[size - 1] == heights[size - 2]) {
            NodeHashing.nodeHash(md, nodes[size - 2], 0, nodes[size - 1], 0, nodes[size - 2], 0);
            heights[size - 2]++;
            size--;
        }
    }
}
