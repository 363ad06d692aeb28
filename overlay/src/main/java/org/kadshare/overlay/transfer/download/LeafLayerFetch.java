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
 *
 * <p>A piece already asked of one peer is handed out once more to a peer with nothing else to
 * ask, so one slow or silent holder (a seed whose upload queue is full) cannot hold up the start
 * of the download while another holder sits idle; the first answer that verifies is kept.
 */
final class LeafLayerFetch {
    private final ContentId id;
    private final long lengthBytes;
    private final int leafCount;
    private final int pieceHeight;
    private final int pieceCount;
    private final byte[] layer;
    /** How many peers one piece is asked of at most at a time. */
    static final int MAX_ASKERS = 2;

    private final BitSet received = new BitSet();
    private final int[] askers;

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
        this.askers = new int[pieceCount];
    }

    int pieceHeight() {
        return pieceHeight;
    }

    /**
     * A piece not received yet for a peer asking nothing: one nobody is asked for, else the one
     * asked of the fewest peers while below {@link #MAX_ASKERS}; -1 when there is none.
     */
    int nextPiece() {
        int best = -1;
        for (int p = received.nextClearBit(0); p < pieceCount; p = received.nextClearBit(p + 1)) {
            if (askers[p] == 0) {
                return p;
            }
            if (askers[p] < MAX_ASKERS && (best < 0 || askers[p] < askers[best])) {
                best = p;
            }
        }
        return best;
    }

    void asking(int piece) {
        askers[piece]++;
    }

    /** An ask for {@code piece} failed, was refused or was cancelled: one asker fewer. */
    void giveUp(int piece) {
        askers[piece] = Math.max(0, askers[piece] - 1);
    }

    /**
     * Keeps {@code hashes} as piece {@code piece} if they are that piece and verify against the
     * ID; otherwise returns why not (and the piece may be asked again). A second answer for a
     * piece already kept is checked the same way and, when it verifies, changes nothing.
     */
    String accept(int piece, Hashes hashes) {
        giveUp(piece);
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
