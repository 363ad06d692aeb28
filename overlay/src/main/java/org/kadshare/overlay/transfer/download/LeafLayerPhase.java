package org.kadshare.overlay.transfer.download;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.storage.ContentId;

/**
 * The start of a new download, before its leaf layer is known: the layer is asked of the holders
 * in pieces as they connect, each answer checked against the ID ({@link LeafLayerFetch}), and the
 * first piece that verifies proves the file's length. Before that proof each holder takes part in
 * the fetch of the length it gave, and is asked one piece; after it, every connected holder is
 * asked up to {@link #MAX_HASH_ASKS_PER_HOLDER} pieces at once, and the holders of another length
 * are dropped by the core. A holder in a BUSY pause or choking the download is asked nothing; one
 * that leaves an ask unanswered past the stalled-holder timeout is dropped. The phase is over once
 * the whole layer is in (or at once, for a run that resumes a partial download).
 *
 * <p>Sans-IO like its {@link DownloadCore}: time comes with the events or from {@link Core}, the
 * requests go out on the holders' links, and whatever else follows (a drop, a BUSY pause, the
 * spans that may now be asked, the partial download that may now start) is the core's, through
 * {@link Core}. Holders are looked at in index order.
 */
final class LeafLayerPhase {
    /** Leaf-hash requests are tagged with tokens at and below this one, span requests above it. */
    static final long HASHES_TOKEN_BASE = -1_000_000L;
    /** Leaf-hash pieces asked of one holder at once, once the length is proven (one before). */
    static final int MAX_HASH_ASKS_PER_HOLDER = 4;

    /** What the phase needs of the download it starts. */
    interface Core {
        long nowNanos();

        /** Every holder known, in index order. */
        List<Holder> holders();

        Holder holder(int peer);

        /** Drops {@code h} as {@code state} for {@code reason}. */
        void drop(Holder h, PeerProgress.State state, String reason);

        /** {@code h} answered BUSY to {@code what}: pauses it, or drops it (and returns false). */
        boolean backOff(Holder h, String what);

        /** The first piece verified: the file is {@code lengthBytes} long. */
        void lengthProven(long lengthBytes);

        /** The length is proven and the rest of the layer is on its way: spans may be asked. */
        void spansMayStart();

        /** The whole leaf layer is in and verified: the partial download may start with it. */
        void layerIn(byte[] leafHashes);

        /** {@code h}'s BUSY pause is over at {@code nowNanos}: it may be asked for spans again. */
        void pauseOver(Holder h, long nowNanos);
    }

    private final ContentId id;
    private final long stalledTimeoutMillis;
    private final Core core;
    /** Before the length is proven: one leaf-layer fetch per length some holder gives. */
    private final Map<Long, LeafLayerFetch> candidates = new TreeMap<>();
    /** The fetch of the proven length, until the layer is in; null before the proof. */
    private LeafLayerFetch fetch;
    private boolean over;

    LeafLayerPhase(ContentId id, long stalledTimeoutMillis, Core core) {
        this.id = Objects.requireNonNull(id, "id");
        this.stalledTimeoutMillis = stalledTimeoutMillis;
        this.core = Objects.requireNonNull(core, "core");
    }

    /** Whether {@code token} tags a leaf-hashes request. */
    static boolean isHashesToken(long token) {
        return token <= HASHES_TOKEN_BASE;
    }

    /** The run resumes a partial download, whose leaf layer is known: there is nothing to fetch. */
    void skip() {
        over = true;
    }

    /** Whether the layer is known: it came in, or the run resumed with it. */
    boolean isOver() {
        return over;
    }

    /**
     * The leaf-layer fetch {@code h} takes part in: the one of the proven length, or before the
     * proof the one of the length {@code h} gave; null once the layer is known, before {@code h}
     * has connected, or if the layer of the length it gave could not be held (it is being dropped).
     */
    private LeafLayerFetch fetchOf(Holder h) {
        if (over || h.claimedLengthBytes == DownloadCore.UNKNOWN_LENGTH
                || !LeafLayerFetch.fitsInMemory(h.claimedLengthBytes)) {
            return null;
        }
        if (fetch != null) {
            return fetch;
        }
        return candidates.computeIfAbsent(h.claimedLengthBytes, length -> new LeafLayerFetch(id, length));
    }

    /** Asks {@code h}, connected, for as many pieces as it may be asked for now. */
    void ask(Holder h) {
        if (h.state != PeerProgress.State.CONNECTED || h.busyUntilNanos >= 0 || h.chokesUs) {
            return;
        }
        LeafLayerFetch of = fetchOf(h);
        if (of == null) {
            return;
        }
        // One piece of a length not yet proven: the first answer that verifies tells which length is true.
        int limit = fetch == null ? 1 : MAX_HASH_ASKS_PER_HOLDER;
        while (of.asksOf(h.peer) < limit) {
            int piece = of.ask(h.peer, core.nowNanos());
            if (piece < 0) {
                return;
            }
            h.link.requestHashes(HASHES_TOKEN_BASE - piece, of.pieceHeight(), piece);
        }
    }

    private void askConnected() {
        core.holders().stream().filter(o -> o.state == PeerProgress.State.CONNECTED).forEach(this::ask);
    }

    /** {@code h} is gone: the pieces asked of it go to the connected holders. */
    void holderGone(Holder h) {
        if (over) {
            return;
        }
        LeafLayerFetch of = fetchOf(h);
        if (of != null) {
            of.forget(h.peer);
        }
        askConnected();
    }

    /**
     * A holder that chokes this download serves nothing until it unchokes, leaf hashes included:
     * the pieces asked of it may go to the others as if it had not been asked (in a crowd, a
     * holder's upload slots are taken and the layer would wait for one to free), and it is asked
     * nothing more until it unchokes. Its asks stay (a holder gives a freed slot to a choked peer
     * with requests queued before one without), and so does its answer when it comes.
     */
    void choked(Holder h, boolean choked) {
        LeafLayerFetch of = fetchOf(h);
        if (of == null) {
            return;
        }
        of.choked(h.peer, choked);
        if (!choked) {
            ask(h);
        } else if (of.asksOf(h.peer) > 0) {
            askConnected();
        }
    }

    /** {@code h} answered leaf-hashes request {@code token}. */
    void hashesArrived(Holder h, long token, Hashes hashes) {
        int piece = (int) (HASHES_TOKEN_BASE - token);
        LeafLayerFetch of = fetchOf(h);
        if (of == null || !of.isAsking(h.peer, piece)) {
            return;
        }
        String problem = of.accept(h.peer, piece, hashes);
        if (problem != null) {
            core.drop(h, PeerProgress.State.BANNED, problem);
            return;
        }
        h.busyInARow = 0;
        boolean proving = fetch == null;
        if (proving) {
            fetch = of;
            candidates.clear();
            core.lengthProven(of.lengthBytes());
        }
        for (int other : fetch.withdrawAsks(piece)) {
            core.holder(other).link.cancel(token);
        }
        if (!fetch.isComplete()) {
            askConnected();
            if (proving) {
                core.spansMayStart();
            }
            return;
        }
        over = true;
        byte[] layer = fetch.layer();
        fetch = null;
        core.layerIn(layer);
    }

    /** {@code h} refused leaf-hashes request {@code token}; {@code busy} if it asked to try later. */
    void refused(Holder h, long token, boolean busy, String reason) {
        LeafLayerFetch of = fetchOf(h);
        int piece = (int) (HASHES_TOKEN_BASE - token);
        if (of == null || !of.isAsking(h.peer, piece)) {
            return;
        }
        of.forget(h.peer, piece);
        if (!busy) {
            core.drop(h, PeerProgress.State.FAILED, "refused the leaf hashes: " + reason);
        } else if (core.backOff(h, "answered BUSY to the leaf hashes")) {
            askConnected(); // the piece may go to another holder meanwhile
        }
    }

    /** Asks again the holders whose BUSY pause is over, and drops those that never answered. */
    void tick(long nowNanos) {
        long timeoutNanos = stalledTimeoutMillis * 1_000_000L;
        for (Holder h : core.holders()) {
            if (h.state != PeerProgress.State.CONNECTED) {
                continue;
            }
            LeafLayerFetch of = fetchOf(h);
            if (of != null && of.isOverdue(h.peer, nowNanos, timeoutNanos)) {
                core.drop(h, PeerProgress.State.FAILED, "sent no leaf hashes within " + stalledTimeoutMillis + " ms");
            } else if (h.busyUntilNanos >= 0 && nowNanos >= h.busyUntilNanos) {
                h.busyUntilNanos = -1;
                ask(h);
                core.pauseOver(h, nowNanos);
            }
        }
    }
}
