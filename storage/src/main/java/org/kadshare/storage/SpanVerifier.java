package org.kadshare.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.kadshare.storage.internal.NodeHashing;

/**
 * Checks spans of a file, or their leaf hashes, against the file's {@link ContentId} with a
 * {@link SpanProof} (docs/PROTOCOL.md, "Verifying a span"). Every method returns {@code true}
 * only if the input hashes up to exactly that ID, and {@code false} for anything else, including
 * null arguments and data of the wrong length: it never throws. Stateless and thread-safe.
 */
public final class SpanVerifier {
    private static final int H = NodeHashing.HASH_LENGTH_BYTES;
    private static final int L = NodeHashing.LEAF_SIZE_BYTES;

    private SpanVerifier() {
    }

    /**
     * Whether {@code spanBytes} (all of it, exactly {@link SpanProof#spanLengthBytes()} bytes) is
     * the span {@code proof} names in the content {@code id}.
     */
    public static boolean verifyData(ContentId id, SpanProof proof, byte[] spanBytes) {
        return spanBytes != null && verifyData(id, proof, ByteBuffer.wrap(spanBytes));
    }

    /**
     * Whether the remaining bytes of {@code spanBytes} (exactly {@link SpanProof#spanLengthBytes()}
     * of them) are the span {@code proof} names in the content {@code id}. The buffer's position
     * is left unchanged.
     */
    public static boolean verifyData(ContentId id, SpanProof proof, ByteBuffer spanBytes) {
        if (id == null || proof == null || spanBytes == null
                || spanBytes.remaining() != proof.spanLengthBytes()) {
            return false;
        }
        MessageDigest md = NodeHashing.newDigest();
        int leaves = (int) proof.leafCount();
        byte[] hashes = new byte[leaves * H];
        ByteBuffer data = spanBytes.duplicate();
        int start = data.position();
        int end = data.limit();
        for (int i = 0; i < leaves; i++) {
            int leafStart = start + i * L;
            data.limit(Math.min(leafStart + L, end)).position(leafStart);
            NodeHashing.leafHash(md, data, hashes, i * H);
        }
        return matches(md, id, proof, hashes);
    }

    /**
     * Whether {@code leafHashes} (exactly {@link SpanProof#leafCount()} hashes of 32 bytes, back
     * to back) are the leaf hashes of the span {@code proof} names in the content {@code id}. This
     * is how a downloader checks the leaf-hash layer before any data arrives.
     */
    public static boolean verifyLeafHashes(ContentId id, SpanProof proof, byte[] leafHashes) {
        if (id == null || proof == null || leafHashes == null
                || leafHashes.length != proof.leafCount() * H) {
            return false;
        }
        return matches(NodeHashing.newDigest(), id, proof, leafHashes.clone());
    }

    /**
     * Whether the remaining bytes of {@code leafBytes} hash to {@code expectedLeafHash}: checks one
     * leaf of data against a leaf hash already verified with {@link #verifyLeafHashes}. The
     * buffer's position is left unchanged.
     */
    public static boolean verifyLeaf(byte[] expectedLeafHash, ByteBuffer leafBytes) {
        return verifyLeaf(NodeHashing.newDigest(), expectedLeafHash, leafBytes);
    }

    /**
     * As {@link #verifyLeaf(byte[], ByteBuffer)}, hashing with the caller's SHA-256 digest, which
     * it leaves reset: a loop over the leaves of a span makes one digest, not one per leaf.
     */
    public static boolean verifyLeaf(MessageDigest sha256, byte[] expectedLeafHash, ByteBuffer leafBytes) {
        if (expectedLeafHash == null || expectedLeafHash.length != H || leafBytes == null
                || leafBytes.remaining() > L) {
            return false;
        }
        byte[] actual = new byte[H];
        sha256.reset();
        NodeHashing.leafHash(sha256, leafBytes.duplicate(), actual, 0);
        return MessageDigest.isEqual(actual, expectedLeafHash);
    }

    private static boolean matches(MessageDigest md, ContentId id, SpanProof proof, byte[] leafHashes) {
        byte[] node = new byte[H];
        NodeHashing.subtreeRoot(md, leafHashes, leafHashes.length / H, proof.height(), node, 0);
        byte[] siblings = proof.siblingsView();
        long position = proof.index();
        for (int s = 0; s < proof.siblingCount(); s++) {
            if ((position & 1) == 0) {
                NodeHashing.nodeHash(md, node, 0, siblings, s * H, node, 0);
            } else {
                NodeHashing.nodeHash(md, siblings, s * H, node, 0, node, 0);
            }
            position >>>= 1;
        }
        byte[] computed = NodeHashing.idHash(md, proof.lengthBytes(), node);
        return MessageDigest.isEqual(computed, id.toBytes());
    }
}
