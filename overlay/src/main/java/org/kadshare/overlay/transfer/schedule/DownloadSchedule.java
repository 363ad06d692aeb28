package org.kadshare.overlay.transfer.schedule;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import org.kadshare.storage.MerkleTree;

/**
 * The decisions of one parallel download, without sockets, threads or clocks: which span to ask
 * which peer for next, how large and how many at once, when a peer has stalled, what to cancel,
 * whom to ban. The caller feeds it events (peer connected, reply arrived, span verified or
 * rejected, peer gone) with the current time, and sends the requests it hands out.
 *
 * <p>Design note. Each leaf of the file is held, requested (by one or more live requests) or free.
 * A request for a peer is an aligned span of free leaves that the peer holds, picked rarest-first
 * ({@link SpanPicker}; ties in order from a start leaf the caller chooses) at a size and pipeline depth fitted to the peer's measured throughput and
 * round-trip time ({@link RequestSizing}). Request lifecycle:
 * <ol>
 *   <li>handed out: its leaves are reserved;
 *   <li>stalled: the peer's oldest request made no progress for {@code stallFactor} times its
 *       expected time, so every outstanding request of that peer releases its leaves for others
 *       but stays outstanding (a late reply is still used) and the peer gets nothing new until it
 *       delivers again;
 *   <li>arrived: the bytes are in and being verified; the leaves are reserved again if the stall
 *       had released them;
 *   <li>verified: its leaves are held; every other request now wholly held is returned for
 *       cancelling (the endgame's losers and the overlap left by stalls);
 *   <li>or rejected: the peer is banned for the rest of the download and all its requests are
 *       released.
 * </ol>
 * Endgame: when a peer has room but holds no free leaf, it is given a copy of a live request of
 * another peer, up to {@code maxCopies} copies per span: fewest copies first, then the one due
 * last (behind its peer's queue, at that peer's rate and round trip: the span that would end the
 * download), not the oldest, which is about to arrive anyway and whose copy only costs bytes.
 * Requests of unmeasured peers count as due first; among equals the oldest is copied.
 * Iteration is over sorted maps only, so the same events give the same decisions.
 *
 * <p>Not thread-safe: drive it from one thread (the download's event loop).
 */
public final class DownloadSchedule {
    /** Most peers one schedule tracks at once. */
    public static final int MAX_PEERS = 1024;

    private final ScheduleConfig config;
    private final LeafLedger ledger;
    private final int treeHeight;
    private final int startLeaf;
    private final TreeMap<Integer, PeerState> peers = new TreeMap<>();
    private final TreeMap<Long, Live> requests = new TreeMap<>();
    private final TreeSet<Integer> banned = new TreeSet<>();
    private long nextRequestId;
    private long duplicatesIssued;
    private long stallsDetected;

    private static final class Live {
        final SpanRequest request;
        /** Bytes asked of the same peer before this request and not arrived when it was sent. */
        final long bytesAhead;
        /** Where its delivery-rate interval begins ({@link DeliveryRate}), and the peer's bytes delivered then. */
        final long intervalStartNanos;
        final long deliveredAtStart;
        boolean reserved = true;
        boolean arrived;

        Live(SpanRequest request, long bytesAhead, long intervalStartNanos, long deliveredAtStart) {
            this.request = request;
            this.bytesAhead = bytesAhead;
            this.intervalStartNanos = intervalStartNanos;
            this.deliveredAtStart = deliveredAtStart;
        }
    }

    /**
     * A schedule for a file of {@code lengthBytes} of which the leaves set in {@code heldLeaves}
     * are already held (a resumed download).
     */
    public DownloadSchedule(long lengthBytes, BitSet heldLeaves, ScheduleConfig config) {
        this(lengthBytes, heldLeaves, config, 0);
    }

    /**
     * Like {@link #DownloadSchedule(long, BitSet, ScheduleConfig)}, picking spans of equal rarity
     * in order from leaf {@code startLeaf} on, wrapping round (a download passes a random one, so
     * getters starting together fetch different spans).
     */
    public DownloadSchedule(long lengthBytes, BitSet heldLeaves, ScheduleConfig config, int startLeaf) {
        if (startLeaf < 0) {
            throw new IllegalArgumentException("start leaf " + startLeaf + " is negative");
        }
        this.startLeaf = startLeaf;
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("file length " + lengthBytes + " is negative");
        }
        long leaves = MerkleTree.leafCount(lengthBytes);
        if (leaves > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("file of " + lengthBytes + " bytes has too many leaves to schedule");
        }
        this.config = config;
        this.treeHeight = MerkleTree.treeHeight(lengthBytes);
        this.ledger = new LeafLedger(lengthBytes, (int) leaves, heldLeaves);
    }

    /**
     * Adds a connected peer holding {@code leaves}. Returns false (and adds nothing) if the peer
     * was banned earlier in this download.
     */
    public boolean addPeer(int peer, BitSet leaves, long nowNanos) {
        if (banned.contains(peer)) {
            return false;
        }
        if (peers.containsKey(peer)) {
            throw new IllegalStateException("peer " + peer + " is already in the schedule");
        }
        if (peers.size() >= MAX_PEERS) {
            throw new IllegalStateException("a schedule tracks at most " + MAX_PEERS + " peers");
        }
        BitSet copy = (BitSet) leaves.clone();
        copy.clear(ledger.leafCount(), Math.max(ledger.leafCount(), copy.length()));
        peers.put(peer, new PeerState(peer, copy, nowNanos));
        ledger.addHolder(copy);
        return true;
    }

    /** A round-trip-time sample for {@code peer} taken at {@code nowNanos} (its handshake exchange). */
    public void observeRtt(int peer, long rttNanos, long nowNanos) {
        PeerState p = peers.get(peer);
        if (p != null) {
            p.estimate.observeRtt(rttNanos, nowNanos);
        }
    }

    /** {@code peer} now also holds leaves {@code [firstLeaf, firstLeaf + count)}. */
    public void peerHas(int peer, long firstLeaf, long count) {
        PeerState p = peers.get(peer);
        if (p == null || firstLeaf < 0 || count <= 0 || firstLeaf >= ledger.leafCount()) {
            return;
        }
        int end = (int) Math.min(ledger.leafCount(), firstLeaf + count);
        BitSet added = new BitSet();
        added.set((int) firstLeaf, end);
        added.andNot(p.leaves);
        p.leaves.or(added);
        ledger.addHolder(added);
    }

    /**
     * Fills {@code peer}'s pipeline: the requests to send it now (possibly none). Nothing for an
     * unknown, banned or stalled peer.
     */
    public List<SpanRequest> nextRequests(int peer, long nowNanos) {
        PeerState p = peers.get(peer);
        List<SpanRequest> out = new ArrayList<>();
        if (p == null || p.stalled || p.choked) {
            return out;
        }
        int height = Math.min(RequestSizing.spanHeight(p.estimate, config), treeHeight);
        int depth = RequestSizing.depth(p.estimate, height, config);
        long spanBytes = (long) MerkleTree.LEAF_SIZE_BYTES << height;
        boolean uniform = everyPeerHoldsAll();
        while (p.outstanding.size() < depth
                && (p.outstanding.isEmpty() || p.outstandingBytes + spanBytes <= config.maxInFlightBytesPerPeer())) {
            if (uniform && othersBringTheRestSooner(p, spanBytes)) {
                break;
            }
            SpanPicker.Pick pick = SpanPicker.pick(ledger, p.leaves, height, uniform, startLeaf);
            SpanRequest request;
            if (pick != null) {
                request = new SpanRequest(nextRequestId++, peer, pick.height(), pick.index(), pick.firstLeaf(),
                        pick.leafCount(), ledger.bytesOf(pick.firstLeaf(), pick.leafCount()), nowNanos, false);
            } else {
                Live original = endgameCandidate(p, nowNanos);
                if (original == null) {
                    break;
                }
                SpanRequest o = original.request;
                request = new SpanRequest(nextRequestId++, peer, o.height(), o.index(), o.firstLeaf(), o.leafCount(),
                        o.lengthBytes(), nowNanos, true);
                duplicatesIssued++;
            }
            ledger.reserve(request.firstLeaf(), request.leafCount());
            if (p.outstanding.isEmpty()) {
                p.busySinceNanos = nowNanos;
            }
            long intervalStart = Math.max(p.busySinceNanos, p.estimate.lastArrivalNanos());
            requests.put(request.id(), new Live(request, p.outstandingBytes, intervalStart, p.estimate.deliveredBytes()));
            p.outstanding.add(request.id());
            p.outstandingBytes += request.lengthBytes();
            out.add(request);
        }
        return out;
    }

    /**
     * The tail rule: whether a span of {@code spanBytes} asked of {@code p} now would arrive after
     * the download should have ended without it. Every measured peer that is neither stalled nor
     * choked starts bringing new bytes once its queue is through, and no sooner than a round trip
     * from now; filling the leaves still free from those starts at each peer's rate gives the time
     * the last of them would arrive (water-filling, the same for every peer asked). A span that
     * {@code p} would bring in only after that time is better left to the others: a far or slow
     * peer does not take the last spans, which its queue and round trip would make the download's
     * last arrivals while nearer peers go idle. The peer whose span would arrive soonest is never
     * held back, so the free leaves always have a taker. False while {@code p} is unmeasured; only
     * used when every peer holds every leaf (any of them can take any free span).
     */
    private boolean othersBringTheRestSooner(PeerState p, long spanBytes) {
        if (!p.estimate.hasThroughput()) {
            return false;
        }
        List<double[]> starts = new ArrayList<>();
        double soonest = Double.MAX_VALUE;
        for (PeerState q : peers.values()) {
            if (q.stalled || q.choked || !q.estimate.hasThroughput()) {
                continue;
            }
            starts.add(new double[] {startOfNewBytesNanos(q), q.estimate.planBytesPerSecond() / 1e9});
            soonest = Math.min(soonest, arrivalNanos(q, spanBytes));
        }
        double arrival = arrivalNanos(p, spanBytes);
        if (arrival <= soonest) {
            return false;
        }
        starts.sort((a, b) -> Double.compare(a[0], b[0]));
        double left = (double) ledger.freeLeafCount() * MerkleTree.LEAF_SIZE_BYTES;
        double rates = 0;
        double end = 0;
        for (int i = 0; i < starts.size(); i++) {
            rates += starts.get(i)[1];
            double next = i + 1 < starts.size() ? starts.get(i + 1)[0] : Double.MAX_VALUE;
            double fillable = rates * (next - starts.get(i)[0]);
            if (fillable >= left) {
                end = starts.get(i)[0] + left / rates;
                break;
            }
            left -= fillable;
        }
        return arrival > Math.max(end, soonest);
    }

    /** How long from now a span of {@code spanBytes} asked of measured peer {@code q} now would take to arrive. */
    private static double arrivalNanos(PeerState q, long spanBytes) {
        return startOfNewBytesNanos(q) + spanBytes * 1e9 / q.estimate.planBytesPerSecond();
    }

    /** How long from now measured peer {@code q} would start sending the bytes of a request asked now. */
    private static double startOfNewBytesNanos(PeerState q) {
        return Math.max(Math.max(0, q.estimate.roundTripNanos()), q.outstandingBytes * 1e9 / q.estimate.planBytesPerSecond());
    }

    private boolean everyPeerHoldsAll() {
        for (PeerState p : peers.values()) {
            if (!p.holdsAll(ledger.leafCount())) {
                return false;
            }
        }
        return true;
    }

    private Live endgameCandidate(PeerState p, long nowNanos) {
        Live best = null;
        int bestCopies = Integer.MAX_VALUE;
        long bestDue = Long.MIN_VALUE;
        for (Live live : requests.values()) {
            SpanRequest r = live.request;
            if (r.peer() == p.peer || !live.reserved || live.arrived
                    || p.leaves.nextClearBit((int) r.firstLeaf()) < r.endLeaf()) {
                continue;
            }
            int copies = 0;
            boolean mine = false;
            for (Live other : requests.values()) {
                if (other.request.overlaps(r) && other.reserved) {
                    copies++;
                    mine |= other.request.peer() == p.peer;
                }
            }
            if (mine || copies >= config.maxCopies() || copies > bestCopies) {
                continue;
            }
            long due = dueNanos(r, nowNanos);
            if (copies < bestCopies || due > bestDue) {
                best = live;
                bestCopies = copies;
                bestDue = due;
            }
        }
        return best;
    }

    /**
     * When request {@code r} should arrive: a round trip and its bytes after it was sent, or, if
     * later, once the bytes asked of its peer before it and its own have come in from now at the
     * peer's rate; {@link Long#MIN_VALUE} while the peer is unmeasured.
     */
    private long dueNanos(SpanRequest r, long nowNanos) {
        PeerState q = peers.get(r.peer());
        if (q == null || !q.estimate.hasThroughput()) {
            return Long.MIN_VALUE;
        }
        long before = 0;
        for (long id : q.outstanding.headSet(r.id())) {
            before += requests.get(id).request.lengthBytes();
        }
        long alone = RequestSizing.expectedArrivalNanos(q.estimate, r.sentAtNanos(), r.lengthBytes());
        long queued = nowNanos + (long) ((before + r.lengthBytes()) * 1e9 / q.estimate.planBytesPerSecond());
        return Math.max(alone, queued);
    }

    /**
     * The reply to {@code requestId} arrived at {@code nowNanos} and is about to be verified.
     * Returns false if the request is no longer live (cancelled, or its peer gone): its bytes can
     * be dropped.
     */
    public boolean onArrived(long requestId, long nowNanos) {
        Live live = requests.get(requestId);
        if (live == null || live.arrived) {
            return false;
        }
        SpanRequest r = live.request;
        PeerState p = peers.get(r.peer());
        live.arrived = true;
        if (!live.reserved) {
            ledger.reserve(r.firstLeaf(), r.leafCount());
            live.reserved = true;
        }
        if (p != null) {
            p.estimate.observeArrival(r.sentAtNanos(), nowNanos, r.lengthBytes(), live.bytesAhead);
            p.estimate.observeDelivery(r.lengthBytes(), nowNanos, live.deliveredAtStart, live.intervalStartNanos);
            p.outstanding.remove(requestId);
            p.outstandingBytes -= r.lengthBytes();
            p.stalled = false;
            p.quietSinceNanos = nowNanos;
            p.spansArrived++;
            p.bytesArrived += r.lengthBytes();
        }
        return true;
    }

    /**
     * The span of {@code requestId} verified and is on disk. Returns the other live requests whose
     * leaves are now all held, already forgotten here, for the caller to cancel.
     */
    public List<SpanRequest> onVerified(long requestId) {
        Live live = requests.remove(requestId);
        List<SpanRequest> cancel = new ArrayList<>();
        if (live == null) {
            return cancel;
        }
        SpanRequest r = live.request;
        release(live);
        ledger.markHeld(r.firstLeaf(), r.leafCount());
        for (Live other : new ArrayList<>(requests.values())) {
            SpanRequest o = other.request;
            if (!other.arrived && o.overlaps(r) && ledger.allHeld(o.firstLeaf(), o.leafCount())) {
                forget(other);
                cancel.add(o);
            }
        }
        return cancel;
    }

    /**
     * The span of {@code requestId} failed verification: its peer is banned for the rest of the
     * download and removed. Returns every other request of that peer, forgotten here.
     */
    public List<SpanRequest> onRejected(long requestId) {
        Live live = requests.get(requestId);
        if (live == null) {
            return List.of();
        }
        int peer = live.request.peer();
        banned.add(peer);
        forget(live);
        return onPeerGone(peer);
    }

    /** Bans {@code peer} for the rest of the download (for example: a bad leaf layer). */
    public List<SpanRequest> ban(int peer) {
        banned.add(peer);
        return onPeerGone(peer);
    }

    /**
     * Gives up on {@code requestId} without blaming its peer (the peer refused it, or it was
     * cancelled): its leaves become free again.
     */
    public void onAbandoned(long requestId) {
        Live live = requests.get(requestId);
        if (live != null) {
            forget(live);
        }
    }

    /**
     * {@code peer} disconnected: its requests not yet arrived are forgotten and returned, their
     * leaves freed. Replies already arrived are still verified and count.
     */
    public List<SpanRequest> onPeerGone(int peer) {
        PeerState p = peers.remove(peer);
        List<SpanRequest> gone = new ArrayList<>();
        if (p == null) {
            return gone;
        }
        ledger.removeHolder(p.leaves);
        for (Live live : new ArrayList<>(requests.values())) {
            if (live.request.peer() == peer && !live.arrived) {
                forget(live, null);
                gone.add(live.request);
            }
        }
        return gone;
    }

    /**
     * Finds peers whose oldest outstanding request has made no progress for {@code stallFactor}
     * times its expected time (at least {@code minStallNanos}). Each such peer is marked stalled,
     * its throughput estimate halved, and its outstanding requests release their leaves (they stay
     * outstanding, so a late reply is still used). Returns the requests released now.
     */
    public List<SpanRequest> findStalls(long nowNanos) {
        List<SpanRequest> released = new ArrayList<>();
        for (PeerState p : peers.values()) {
            if (p.stalled || p.choked || p.outstanding.isEmpty()) {
                continue;
            }
            SpanRequest oldest = requests.get(p.outstanding.first()).request;
            long since = Math.max(oldest.sentAtNanos(), p.quietSinceNanos);
            long limit = Math.max(config.minStallNanos(),
                    config.stallFactor() * RequestSizing.expectedNanos(p.estimate, oldest.lengthBytes(), config));
            if (!p.estimate.hasThroughput()) {
                limit = Math.max(config.minStallNanos(), config.initialStallNanos());
            }
            if (nowNanos - since <= limit) {
                continue;
            }
            p.stalled = true;
            p.estimate.penalise();
            stallsDetected++;
            releaseOutstanding(p, released);
        }
        return released;
    }

    /**
     * {@code peer} choked us: it serves nothing for now. Its outstanding requests release their
     * leaves for others (they stay outstanding, as for a stall, but the peer is not penalised) and
     * it gets nothing new until {@link #onUnchoked}. Returns the requests released.
     */
    public List<SpanRequest> onChoked(int peer) {
        PeerState p = peers.get(peer);
        List<SpanRequest> released = new ArrayList<>();
        if (p != null && !p.choked) {
            p.choked = true;
            releaseOutstanding(p, released);
        }
        return released;
    }

    /** {@code peer} unchoked us at {@code nowNanos}: it may be given work again. */
    public void onUnchoked(int peer, long nowNanos) {
        PeerState p = peers.get(peer);
        if (p != null && p.choked) {
            p.choked = false;
            p.quietSinceNanos = nowNanos;
        }
    }

    private void releaseOutstanding(PeerState p, List<SpanRequest> released) {
        for (long id : p.outstanding) {
            Live live = requests.get(id);
            if (live.reserved) {
                ledger.release(live.request.firstLeaf(), live.request.leafCount());
                live.reserved = false;
                released.add(live.request);
            }
        }
    }

    private void forget(Live live) {
        forget(live, peers.get(live.request.peer()));
    }

    private void forget(Live live, PeerState p) {
        requests.remove(live.request.id());
        release(live);
        if (p != null && p.outstanding.remove(live.request.id())) {
            p.outstandingBytes -= live.request.lengthBytes();
        }
    }

    private void release(Live live) {
        if (live.reserved) {
            ledger.release(live.request.firstLeaf(), live.request.leafCount());
            live.reserved = false;
        }
    }

    /** Whether every leaf is held. */
    /** Whether {@code peer} holds a leaf this download has not got yet (false for an unknown peer). */
    public boolean offersAnythingMissing(int peer) {
        PeerState p = peers.get(peer);
        return p != null && ledger.anyMissingIn(p.leaves);
    }

    public boolean isComplete() {
        return ledger.allHeld();
    }

    /** Whether {@code peer} was banned in this download. */
    public boolean isBanned(int peer) {
        return banned.contains(peer);
    }

    /** Whether {@code peer} is connected and currently stalled. */
    public boolean isStalled(int peer) {
        PeerState p = peers.get(peer);
        return p != null && p.stalled;
    }

    /** Whether {@code peer} is connected and has choked us. */
    public boolean isChoked(int peer) {
        PeerState p = peers.get(peer);
        return p != null && p.choked;
    }

    /** Whether {@code peer} is in the schedule. */
    public boolean hasPeer(int peer) {
        return peers.containsKey(peer);
    }

    /** Number of requests sent to {@code peer} and not yet arrived. */
    public int outstanding(int peer) {
        PeerState p = peers.get(peer);
        return p == null ? 0 : p.outstanding.size();
    }

    /** Live requests of every peer (outstanding or being verified), oldest first. */
    public List<SpanRequest> liveRequests() {
        List<SpanRequest> out = new ArrayList<>();
        requests.values().forEach(l -> out.add(l.request));
        return out;
    }

    /** Leaves held. */
    public long heldLeaves() {
        return ledger.heldCount();
    }

    /** {@code peer}'s smoothed throughput in bytes per second, or -1 if unmeasured or unknown. */
    public double throughputBytesPerSecond(int peer) {
        PeerState p = peers.get(peer);
        return p == null ? -1 : p.estimate.bytesPerSecond();
    }

    /** {@code peer}'s smoothed round-trip time in nanoseconds, or -1 if unmeasured or unknown. */
    public long srttNanos(int peer) {
        PeerState p = peers.get(peer);
        return p == null ? -1 : p.estimate.srttNanos();
    }

    /** The span height {@code peer} would be asked for now. */
    public int spanHeightFor(int peer) {
        PeerState p = peers.get(peer);
        return p == null ? -1 : Math.min(RequestSizing.spanHeight(p.estimate, config), treeHeight);
    }

    /** The pipeline depth {@code peer} would be given now. */
    public int depthFor(int peer) {
        PeerState p = peers.get(peer);
        return p == null ? 0 : RequestSizing.depth(p.estimate, spanHeightFor(peer), config);
    }

    /** Endgame copies handed out so far. */
    public long duplicatesIssued() {
        return duplicatesIssued;
    }

    /** Stalls detected so far. */
    public long stallsDetected() {
        return stallsDetected;
    }
}
