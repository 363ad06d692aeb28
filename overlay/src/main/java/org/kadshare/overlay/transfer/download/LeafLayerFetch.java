package org.kadshare.overlay.transfer.download;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;
import org.kadshare.storage.SpanVerifier;

/**
 * The leaf-hash layer of a file being learned from peers, piece by piece: each piece is the leaf
 * hashes of one aligned span at the largest height whose hashes fit in one frame (the whole file
 * up to 2 GiB), checked against the content ID with its proof before it is kept. Pure apart from
 * hashing. The length is the one a holder claims in its handshake: nothing is trusted before a
 * piece verifies, and a piece verifies only for the true length, since the ID binds it
 * ({@code H(0x02 || u64be(n) || root)}), so the first piece kept proves the length. Memory is 32
 * bytes per leaf (2 MiB for 1 GiB), allocated only once a piece has verified, so a holder lying
 * about the length costs nothing.
 *
 * <p>A piece already asked of one peer is handed out once more to a peer with nothing else to
 * ask, so one slow or silent holder (a seed whose upload queue is full) cannot hold up the start
 * of the download while another holder sits idle; the first answer that verifies is kept and
 * the other asks of that piece are withdrawn. An ask remembers when it was made, so a peer that
 * never answers is found ({@link #isOverdue}) and dropped instead of holding the download forever.
 * Peers are named by their index in the download.
 */
final class LeafLayerFetch {
    private final ContentId id;
    private final long lengthBytes;
    private final int leafCount;
    private final int pieceHeight;
    private final int pieceCount;
    private byte[] layer;
    /** How many peers one piece is asked of at most at a time. */
    static final int MAX_ASKERS = 2;

    private final BitSet received = new BitSet();
    /** The piece each peer is being asked for (at most one per peer), and since when. */
    private final Map<Integer, Ask> asking = new TreeMap<>();

    private record Ask(int piece, long sinceNanos) {
    }

    LeafLayerFetch(ContentId id, long lengthBytes) {
        this.id = id;
        this.lengthBytes = lengthBytes;
        if (!fitsInMemory(lengthBytes)) {
            throw new IllegalArgumentException("a file of " + lengthBytes + " bytes has too many leaves to download");
        }
        long leaves = MerkleTree.leafCount(lengthBytes);
        this.leafCount = (int) leaves;
        int h = MerkleTree.treeHeight(lengthBytes);
        while (h > 0 && !Hashes.fits(lengthBytes, h, 0)) {
            h--;
        }
        this.pieceHeight = h;
        this.pieceCount = (int) (((leafCount - 1L) >> h) + 1);
    }

    /** Whether the leaf layer of a file of {@code lengthBytes} can be held in memory at all. */
    static boolean fitsInMemory(long lengthBytes) {
        return lengthBytes >= 0 && MerkleTree.leafCount(lengthBytes) * MerkleTree.HASH_LENGTH_BYTES
                <= Integer.MAX_VALUE - 64;
    }

    /** The length this layer is fetched for (proven once a piece is kept). */
    long lengthBytes() {
        return lengthBytes;
    }

    int pieceHeight() {
        return pieceHeight;
    }

    /**
     * The piece to ask of {@code peer}, recorded as asked, or -1 when it is asking already or there
     * is none: a piece not received that nobody is asked for, else the one asked of the fewest
     * peers while below {@link #MAX_ASKERS}.
     */
    int ask(int peer, long nowNanos) {
        if (asking.containsKey(peer)) {
            return -1;
        }
        int best = -1;
        int bestAskers = MAX_ASKERS;
        for (int p = received.nextClearBit(0); p < pieceCount && bestAskers > 0; p = received.nextClearBit(p + 1)) {
            int askers = askersOf(p);
            if (askers < bestAskers) {
                best = p;
                bestAskers = askers;
            }
        }
        if (best >= 0) {
            asking.put(peer, new Ask(best, nowNanos));
        }
        return best;
    }

    /** Whether {@code peer} is being asked for {@code piece} (an answer to anything else is stale). */
    boolean isAsking(int peer, int piece) {
        Ask a = asking.get(peer);
        return a != null && a.piece == piece;
    }

    /** {@code peer}'s ask failed, was refused, or the peer is gone: its piece may go to another. */
    void forget(int peer) {
        asking.remove(peer);
    }

    /** Withdraws every ask still out for {@code piece}; returns the peers that were asked (to cancel). */
    List<Integer> withdrawAsks(int piece) {
        List<Integer> peers = new ArrayList<>();
        asking.entrySet().removeIf(e -> {
            boolean hit = e.getValue().piece == piece;
            if (hit) {
                peers.add(e.getKey());
            }
            return hit;
        });
        return peers;
    }

    private int askersOf(int piece) {
        int n = 0;
        for (Ask a : asking.values()) {
            if (a.piece == piece) {
                n++;
            }
        }
        return n;
    }

    /**
     * Keeps {@code hashes}, {@code peer}'s answer, as piece {@code piece} if they are that piece
     * and verify against the ID; otherwise returns why not (and the piece may be asked again). A
     * second answer for a piece already kept is checked the same way and, when it verifies,
     * changes nothing.
     */
    String accept(int peer, int piece, Hashes hashes) {
        asking.remove(peer);
        SpanProof proof = hashes.proof();
        if (proof.lengthBytes() != lengthBytes || proof.height() != pieceHeight || proof.index() != piece) {
            return "sent hashes of span (" + proof.height() + ", " + proof.index() + ") of a " + proof.lengthBytes()
                    + "-byte file for span (" + pieceHeight + ", " + piece + ") of a " + lengthBytes + "-byte file";
        }
        byte[] leafHashes = hashes.leafHashes();
        if (!SpanVerifier.verifyLeafHashes(id, proof, leafHashes)) {
            return "sent leaf hashes of span (" + pieceHeight + ", " + piece + ") that do not verify against " + id;
        }
        if (layer == null) {
            layer = new byte[leafCount * MerkleTree.HASH_LENGTH_BYTES];
        }
        System.arraycopy(leafHashes, 0, layer, (int) (proof.firstLeaf() * MerkleTree.HASH_LENGTH_BYTES),
                leafHashes.length);
        received.set(piece);
        return null;
    }

    /** Whether {@code peer}'s ask has gone unanswered for longer than {@code timeoutNanos}. */
    boolean isOverdue(int peer, long nowNanos, long timeoutNanos) {
        Ask a = asking.get(peer);
        return a != null && nowNanos - a.sinceNanos > timeoutNanos;
    }

    boolean isComplete() {
        return received.cardinality() == pieceCount;
    }

    byte[] layer() {
        return layer.clone();
    }
}
