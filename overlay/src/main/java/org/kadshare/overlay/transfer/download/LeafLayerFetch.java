package org.kadshare.overlay.transfer.download;

import java.util.BitSet;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;
import org.kadshare.storage.SpanVerifier;

/**
 * The leaf-hash layer of a file being learned from peers, piece by piece: each piece is the leaf
 * hashes of one aligned span at the largest height whose hashes fit in one frame (the whole file
 * up to 2 GiB), checked against the content ID with its proof before it is kept. Pure apart from
 * hashing. Memory is 32 bytes per leaf (2 MiB for 1 GiB), bounded by the manifest's length.
 */
final class LeafLayerFetch {
    private final ContentId id;
    private final long lengthBytes;
    private final int leafCount;
    private final int pieceHeight;
    private final int pieceCount;
    private final byte[] layer;
    private final BitSet received = new BitSet();
    private final BitSet asked = new BitSet();

    LeafLayerFetch(ContentId id, long lengthBytes) {
        this.id = id;
        this.lengthBytes = lengthBytes;
        long leaves = MerkleTree.leafCount(lengthBytes);
        if (leaves * MerkleTree.HASH_LENGTH_BYTES > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("a file of " + lengthBytes + " bytes has too many leaves to download");
        }
        this.leafCount = (int) leaves;
        int h = MerkleTree.treeHeight(lengthBytes);
        while (h > 0 && !Hashes.fits(lengthBytes, h, 0)) {
            h--;
        }
        this.pieceHeight = h;
        this.pieceCount = (int) (((leafCount - 1L) >> h) + 1);
        this.layer = new byte[leafCount * MerkleTree.HASH_LENGTH_BYTES];
    }

    int pieceHeight() {
        return pieceHeight;
    }

    /** A piece neither received nor being asked for, or -1. */
    int nextPiece() {
        BitSet busy = (BitSet) received.clone();
        busy.or(asked);
        int next = busy.nextClearBit(0);
        return next < pieceCount ? next : -1;
    }

    void asking(int piece) {
        asked.set(piece);
    }

    /** The ask for {@code piece} failed or was refused: it may be asked of another peer. */
    void giveUp(int piece) {
        asked.clear(piece);
    }

    /**
     * Keeps {@code hashes} as piece {@code piece} if they are that piece and verify against the
     * ID; otherwise returns why not (and the piece may be asked again).
     */
    String accept(int piece, Hashes hashes) {
        asked.clear(piece);
        SpanProof proof = hashes.proof();
        if (proof.lengthBytes() != lengthBytes || proof.height() != pieceHeight || proof.index() != piece) {
            return "sent hashes of span (" + proof.height() + ", " + proof.index() + ") of a " + proof.lengthBytes()
                    + "-byte file for span (" + pieceHeight + ", " + piece + ") of a " + lengthBytes + "-byte file";
        }
        byte[] leafHashes = hashes.leafHashes();
        if (!SpanVerifier.verifyLeafHashes(id, proof, leafHashes)) {
            return "sent leaf hashes of span (" + pieceHeight + ", " + piece + ") that do not verify against " + id;
        }
        System.arraycopy(leafHashes, 0, layer, (int) (proof.firstLeaf() * MerkleTree.HASH_LENGTH_BYTES),
                leafHashes.length);
        received.set(piece);
        return null;
    }

    boolean isComplete() {
        return received.cardinality() == pieceCount;
    }

    byte[] layer() {
        return layer.clone();
    }
}
