package org.kadshare.overlay.transfer.download;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;
import org.kadshare.storage.SpanVerifier;

/**
 * The leaf-hash layer of a file being learned from peers, piece by piece: each piece is the leaf
 * hashes of one aligned span, checked against the content ID with its proof before it is kept.
 * Pure apart from hashing. The length is the one a holder claims in its handshake: nothing is
 * trusted before a piece verifies, and a piece verifies only for the true length, since the ID
 * binds it ({@code H(0x02 || u64be(n) || root)}), so the first piece kept proves the length. Memory
 * is 32 bytes per leaf (2 MiB for 1 GiB), allocated only once a piece has verified, so a holder
 * lying about the length costs nothing.
 *
 * <p>Pieces are small enough that a file's layer comes in at least {@link #TARGET_PIECES} of them
 * (down to {@link #MIN_PIECE_HEIGHT}), and large enough to fit one frame: the first piece to
 * verify proves the length early, and the rest come from several holders at once, each of which
 * may be asked for several pieces together ({@link #asksOf}), instead of the whole layer (512 KiB
 * for 256 MiB) from the first holder alone.
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
    /** The layer comes in at least this many pieces, where pieces of {@link #MIN_PIECE_HEIGHT} allow. */
    static final int TARGET_PIECES = 8;
    /** Pieces are never smaller than this height (256 leaves, 8 KiB of hashes), unless the file is. */
    static final int MIN_PIECE_HEIGHT = 8;

    private final BitSet received = new BitSet();
    /** The pieces each peer is being asked for, each with when it was asked. */
    private final Map<Integer, Map<Integer, Long>> asking = new TreeMap<>();
    /** Peers that choked the download: their asks do not count as asks of a piece. */
    private final Set<Integer> choked = new TreeSet<>();

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
        while (h > MIN_PIECE_HEIGHT && ((leafCount - 1L) >> h) + 1 < TARGET_PIECES) {
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
     * One more piece to ask of {@code peer}, recorded as asked, or -1 when there is none: a piece
     * not received that nobody is asked for; else, if {@code peer} is asked for nothing, the one
     * asked of the fewest other peers while below {@link #MAX_ASKERS}.
     */
    int ask(int peer, long nowNanos) {
        Map<Integer, Long> mine = asking.get(peer);
        int best = -1;
        int bestAskers = mine == null || mine.isEmpty() ? MAX_ASKERS : 1;
        for (int p = received.nextClearBit(0); p < pieceCount && bestAskers > 0; p = received.nextClearBit(p + 1)) {
            int askers = askersOf(p);
            if (askers < bestAskers && (mine == null || !mine.containsKey(p))) {
                best = p;
                bestAskers = askers;
            }
        }
        if (best >= 0) {
            asking.computeIfAbsent(peer, k -> new TreeMap<>()).put(best, nowNanos);
        }
        return best;
    }

    /** How many pieces {@code peer} is being asked for. */
    int asksOf(int peer) {
        Map<Integer, Long> mine = asking.get(peer);
        return mine == null ? 0 : mine.size();
    }

    /** Whether {@code peer} is being asked for {@code piece} (an answer to anything else is stale). */
    boolean isAsking(int peer, int piece) {
        Map<Integer, Long> mine = asking.get(peer);
        return mine != null && mine.containsKey(piece);
    }

    /** {@code peer} is gone: every piece it was asked for may go to another. */
    void forget(int peer) {
        asking.remove(peer);
        choked.remove(peer);
    }

    /**
     * {@code peer} choked ({@code true}) or unchoked the download: while choked, its asks stay
     * but do not count, so the pieces asked of it are handed out to others as if nobody were.
     */
    void choked(int peer, boolean isChoked) {
        if (isChoked) {
            choked.add(peer);
        } else {
            choked.remove(peer);
        }
    }

    /** {@code peer}'s ask for {@code piece} failed or was refused: the piece may go to another. */
    void forget(int peer, int piece) {
        Map<Integer, Long> mine = asking.get(peer);
        if (mine != null) {
            mine.remove(piece);
            if (mine.isEmpty()) {
                asking.remove(peer);
            }
        }
    }

    /** Withdraws every ask still out for {@code piece}; returns the peers that were asked (to cancel). */
    List<Integer> withdrawAsks(int piece) {
        List<Integer> peers = new ArrayList<>();
        for (Map.Entry<Integer, Map<Integer, Long>> e : asking.entrySet()) {
            if (e.getValue().remove(piece) != null) {
                peers.add(e.getKey());
            }
        }
        asking.values().removeIf(Map::isEmpty);
        return peers;
    }

    private int askersOf(int piece) {
        int n = 0;
        for (Map.Entry<Integer, Map<Integer, Long>> e : asking.entrySet()) {
            if (e.getValue().containsKey(piece) && !choked.contains(e.getKey())) {
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
        forget(peer, piece);
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

    /** Whether one of {@code peer}'s asks has gone unanswered for longer than {@code timeoutNanos}. */
    boolean isOverdue(int peer, long nowNanos, long timeoutNanos) {
        Map<Integer, Long> mine = asking.get(peer);
        return mine != null && mine.values().stream().anyMatch(since -> nowNanos - since > timeoutNanos);
    }

    int pieceCount() {
        return pieceCount;
    }


    boolean isComplete() {
        return received.cardinality() == pieceCount;
    }

    byte[] layer() {
        return layer.clone();
    }
}
