package org.kadshare.overlay.transfer.download;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import org.kadshare.overlay.transfer.schedule.BusyBackoff;
import org.kadshare.overlay.transfer.schedule.DownloadSchedule;
import org.kadshare.overlay.transfer.schedule.SpanRequest;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.LeafRange;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One download as a sans-IO state machine: it is fed events (begin, link up or failed, a frame
 * from a holder, a span verified and written, a tick) and acts only through its
 * {@link DownloadEnvironment} (time, timers, connect, disk). It owns no thread, reads no clock
 * and takes no lock; the same events in the same order give the same actions, so it runs in
 * virtual time as well as on a Netty event loop. Public for drivers: {@link DownloadDriver} here,
 * the swarm simulator in the simulations module.
 *
 * <p>Design note. The span decisions are the {@link DownloadSchedule}'s; the holders, whom to
 * connect next, their BUSY pauses ({@link BusyBackoff}) and which one makes room are
 * {@link HolderSet}'s; the leaf layer until it is in is {@link LeafLayerPhase}'s (with
 * {@link LeafLayerFetch}), the spans kept meanwhile {@link EarlySpans}'; when a holder has stalled
 * too long is {@link StallWatch}'s, and how the run ends {@link RunEnd}'s. This class takes the
 * events, keeps the spans asked and being written, and sequences the parts. Order
 * of a run: resume the partial download if the store has one (it has the verified leaf layer and
 * the leaves already held), else fetch the leaf layer in pieces from the holders as they connect
 * (GET_HASHES, each piece checked against the ID; a bad piece bans its sender; the first piece
 * that verifies proves the length, and the rest are asked of every connected holder at once);
 * from that proof on, keep every connected holder's pipeline full, check for stalls every tick,
 * and finish with the whole-file check and atomic rename. Spans that arrive before the whole
 * layer is in are kept in memory (they count against the pending-write bound) and handed to the
 * disk, which verifies them against the layer, once the partial download has started: nothing
 * is written, or served to others, before it is verified. Bytes handed to the disk and not yet
 * written are bounded by {@link DownloadOptions#maxPendingWriteBytes()}, above which no new
 * request is sent. When every holder has dropped out the run fails with a
 * {@link DownloadFailedException} naming each and why, and the partial state is saved for a later
 * run, which fetches only the missing leaves.
 *
 * <p>The length is never taken on anyone's word. A resumed run has it from the partial download
 * (whose leaf layer was verified against the ID); a new run asks each holder for the leaf layer of
 * the length it gives in its handshake, and the first piece that verifies proves the length, since
 * the ID binds it. Holders that gave another length are dropped then.
 *
 * <p>Holders may be given after the start ({@link #addHolder}); they wait for a free connection
 * slot, and the run does not end for want of holders until {@link #noMoreHolders()}. A holder that
 * answers BUSY (to the connection, the leaf hashes or a span) is tried again after a pause that
 * doubles, while the others are used; one that does not connect within the connect timeout, or
 * gives no leaf hashes within the stalled-holder timeout, is dropped.
 */
public final class DownloadCore {
    private static final Logger LOG = LoggerFactory.getLogger(DownloadCore.class);
    static final long UNKNOWN_LENGTH = -1;

    /** A partial download found in the store: its proven length, the leaves held, the bytes they make. */
    public record Resumed(long lengthBytes, BitSet heldLeaves, long bytesDone) {
        public Resumed {
            heldLeaves = (BitSet) heldLeaves.clone();
        }
    }

    private record Write(Holder holder, SpanRequest request, int lengthBytes) {
    }

    private final ContentId id;
    private final DownloadOptions options;
    private final DownloadEnvironment env;
    private final HolderSet holders;
    private final StallWatch stalls;
    private final RunEnd end = new RunEnd(new EndEvents());
    private final Map<Long, SpanRequest> sent = new TreeMap<>();
    private final Map<Long, Write> writing = new TreeMap<>();
    private final DownloadTally tally = new DownloadTally();
    private final LeafLayerPhase leafLayer;
    /** Spans in before the partial download started (their bytes count as pending writes). */
    private final EarlySpans early = new EarlySpans();
    private boolean moreHoldersMayCome;

    /** Proven against the ID, or {@link #UNKNOWN_LENGTH} until a holder's first piece verifies. */
    private long lengthBytes = UNKNOWN_LENGTH;
    /** Leaves verified and on disk, once the partial download exists; null before. */
    private BitSet held;
    private DownloadSchedule schedule;
    private long pendingWriteBytes;
    private boolean begun;
    /** Whether any holder's connection ever came up: if none did, the failure says so. */
    private boolean anyLinkUp;

    public DownloadCore(ContentId id, List<InetSocketAddress> holderAddresses, boolean moreHoldersMayCome,
            DownloadOptions options, DownloadEnvironment env) {
        this.id = Objects.requireNonNull(id, "id");
        this.options = Objects.requireNonNull(options, "options");
        this.env = Objects.requireNonNull(env, "env");
        this.moreHoldersMayCome = moreHoldersMayCome;
        this.holders = new HolderSet(new BusyBackoff(options.busyBackoffMillis()), options.maxConnections());
        if (holderAddresses.isEmpty() && !moreHoldersMayCome) {
            throw new IllegalArgumentException("no holders given for " + id);
        }
        this.stalls = new StallWatch(options.stalledPeerTimeoutMillis());
        this.leafLayer = new LeafLayerPhase(id, options.stalledPeerTimeoutMillis(), new LeafLayerEvents());
        holderAddresses.forEach(holders::know);
    }

    /** Whether the run is over: no event changes anything any more. */
    public boolean isDone() {
        return end.isDone();
    }

    public ContentId id() {
        return id;
    }

    private int leafCount() {
        return (int) MerkleTree.leafCount(lengthBytes);
    }

    // ---- events from the user -------------------------------------------------------------------

    /** Starts the run, with the partial download the store had, or null for a new one. */
    public void begin(Resumed resumed) {
        if (end.isDone() || begun) {
            return;
        }
        begun = true;
        env.schedule(options.tickMillis(), this::tick);
        if (resumed != null) {
            leafLayer.skip();
            lengthBytes = resumed.lengthBytes();
            held = resumed.heldLeaves();
            startSchedule(resumed.bytesDone());
            if (end.isDone()) {
                return;
            }
        }
        connectMore();
    }

    /** The store could not be read at the start. */
    public void beginFailed(IOException e) {
        begun = true;
        fail(new DownloadFailedException(id, "could not read the partial download in the store", e));
    }

    /** A holder found after the start; connected when a slot is free, ignored if known or too many wait. */
    public void addHolder(InetSocketAddress holder) {
        Objects.requireNonNull(holder, "holder");
        if (!end.isFinishing() && holders.know(holder) && begun) {
            connectMore();
        }
    }

    /** No holder will be added any more: once every known one has dropped out, the run fails. */
    public void noMoreHolders() {
        moreHoldersMayCome = false;
        if (begun) {
            checkAllGone();
        }
    }

    /** Stops the run, keeping what was verified for a later run. */
    public void cancel() {
        fail(new CancellationException("download of " + id + " cancelled"));
    }

    /** A bug surfaced while handling an event: the run fails naming it. */
    public void internalError(RuntimeException e) {
        LOG.error("download of {} hit a bug", id, e);
        fail(new DownloadFailedException(id, "internal error: " + e, e));
    }

    // ---- connections ----------------------------------------------------------------------------

    private void connectMore() {
        if (end.isFinishing()) {
            return;
        }
        for (Holder h : holders.toConnect(env.nowNanos())) {
            connect(h);
        }
        checkAllGone();
    }

    private void connect(Holder h) {
        h.state = PeerProgress.State.CONNECTING;
        int attempt = ++h.connectAttempts;
        Holdings mine = mine();
        Handshake ours = new Handshake(options.localNodeId(), id,
                mine.kind() == Holdings.Kind.NONE ? Handshake.UNKNOWN_LENGTH : lengthBytes, mine);
        env.schedule(options.connectTimeoutMillis(), () -> {
            if (h.state == PeerProgress.State.CONNECTING && h.connectAttempts == attempt) {
                dropHolder(h, PeerProgress.State.FAILED, "could not connect: no handshake in time");
            }
        });
        env.connect(h.peer, h.address, ours);
    }

    /** What this node holds of the file, for its handshake. */
    private Holdings mine() {
        return held == null ? Holdings.none() : Holdings.of(held, leafCount());
    }

    /** Holder {@code peer} refused the connection as BUSY: it waits for another try, the others go on. */
    public void linkBusy(int peer) {
        Holder h = holders.get(peer);
        if (h.state != PeerProgress.State.CONNECTING) {
            return;
        }
        h.state = PeerProgress.State.WAITING;
        if (backOff(h, "refused the connection as BUSY")) {
            connectMore();
        }
    }

    /** Connecting to holder {@code peer} failed for {@code reason}. */
    public void linkFailed(int peer, String reason) {
        Holder h = holders.get(peer);
        if (h.state == PeerProgress.State.CONNECTING) {
            dropHolder(h, PeerProgress.State.FAILED, "could not connect: " + reason);
        }
    }

    /**
     * The link to holder {@code peer} is open and its handshake in. A link no longer wanted (the
     * holder timed out or was dropped meanwhile, or the run is over) is closed.
     */
    public void linkUp(int peer, PeerLink link) {
        Holder h = holders.get(peer);
        if (end.isDone() || end.isFinishing() || h.state != PeerProgress.State.CONNECTING) {
            link.close();
            return;
        }
        h.link = link;
        anyLinkUp = true;
        h.state = PeerProgress.State.CONNECTED;
        h.busyInARow = 0;
        h.chokesUs = false;
        h.failure = "";
        h.claimedLengthBytes = link.lengthBytes();
        if (lengthBytes != UNKNOWN_LENGTH && link.lengthBytes() != lengthBytes) {
            dropHolder(h, PeerProgress.State.FAILED, lengthContradiction(h));
            return;
        }
        if (!LeafLayerFetch.fitsInMemory(link.lengthBytes())) {
            dropHolder(h, PeerProgress.State.FAILED, "it gives the length as " + link.lengthBytes()
                    + " bytes, too long to download");
            return;
        }
        if (link.holdings().kind() == Holdings.Kind.NONE) {
            dropHolder(h, PeerProgress.State.FAILED, "it holds none of the file");
            return;
        }
        leafLayer.ask(h); // before any span, so the holder answers the leaf hashes first
        if (schedule != null && h.state == PeerProgress.State.CONNECTED) {
            addToSchedule(h);
            fill(h);
        }
    }

    /**
     * Counts a BUSY answer of {@code h} and sets when it may be asked again; drops it (and returns
     * false) once it has said BUSY too often in a row. The answers to requests sent together (a
     * pipeline) count once: only a BUSY to a try after the pause counts again.
     */
    private boolean backOff(Holder h, String what) {
        long now = env.nowNanos();
        if (holders.pausing(h, now)) {
            return true;
        }
        String givenUp = holders.busy(h, what, now);
        if (givenUp != null) {
            dropHolder(h, PeerProgress.State.FAILED, givenUp);
            return false;
        }
        LOG.debug("download of {}: holder {} {}", id, h.address, h.failure);
        return true;
    }

    private String lengthContradiction(Holder h) {
        return "it gives the length as " + h.claimedLengthBytes + " bytes, the ID proves " + lengthBytes;
    }

    private void addToSchedule(Holder h) {
        if (!schedule.addPeer(h.peer, h.link.holdings().leaves(leafCount()), env.nowNanos())) {
            dropHolder(h, PeerProgress.State.BANNED, h.failure);
            return;
        }
        if (h.link.handshakeRttNanos() >= 0) {
            schedule.observeRtt(h.peer, h.link.handshakeRttNanos(), env.nowNanos());
        }
    }

    private void dropHolder(Holder h, PeerProgress.State state, String reason) {
        if (end.isFinishing() || (!h.live() && h.state != PeerProgress.State.WAITING)) {
            return;
        }
        h.state = state;
        h.failure = reason;
        LOG.debug("download of {}: holder {} dropped: {}", id, h.address, reason);
        if (h.link != null) {
            h.link.close();
        }
        leafLayer.holderGone(h);
        if (schedule != null) {
            List<SpanRequest> gone = state == PeerProgress.State.BANNED ? schedule.ban(h.peer)
                    : schedule.onPeerGone(h.peer);
            gone.forEach(r -> sent.remove(r.id()));
            fillAll();
        }
        connectMore();
    }

    private void checkAllGone() {
        if (end.isDone() || end.isFinishing() || moreHoldersMayCome || holders.anyLeft()) {
            return;
        }
        Map<InetSocketAddress, String> failures = holders.failures();
        fail(new DownloadFailedException(id, !anyLinkUp
                ? "no holder could be reached: " + holders.size() + (holders.size() == 1 ? " holder" : " holders")
                + " tried, no connection came up (a holder behind a NAT without a port mapping cannot be reached;"
                + " `node status` on the holder says whether it is reachable)"
                : lengthBytes == UNKNOWN_LENGTH
                ? "every holder is gone before one proved the file's length"
                : "every holder is gone with " + (lengthBytes - tally.bytesDone()) + " of " + lengthBytes
                + " bytes missing (the verified part is kept for a later run)", failures));
    }

    // ---- leaf layer -----------------------------------------------------------------------------

    /** What the leaf-layer phase does to the rest of the run. */
    private final class LeafLayerEvents implements LeafLayerPhase.Core {
        @Override
        public long nowNanos() {
            return env.nowNanos();
        }

        @Override
        public List<Holder> holders() {
            return holders.all();
        }

        @Override
        public Holder holder(int peer) {
            return holders.get(peer);
        }

        @Override
        public void drop(Holder h, PeerProgress.State state, String reason) {
            dropHolder(h, state, reason);
        }

        @Override
        public boolean backOff(Holder h, String what) {
            return DownloadCore.this.backOff(h, what);
        }

        @Override
        public void lengthProven(long provenLengthBytes) {
            DownloadCore.this.lengthProven(provenLengthBytes);
        }

        @Override
        public void spansMayStart() {
            scheduleEarly();
        }

        @Override
        public void layerIn(byte[] leafHashes) {
            if (schedule == null) {
                scheduleEarly();
            }
            env.startPartial(lengthBytes, leafHashes);
        }

        @Override
        public void pauseOver(Holder h, long nowNanos) {
            if (schedule != null && schedule.hasPeer(h.peer)) {
                schedule.onUnchoked(h.peer, nowNanos);
                fill(h);
            }
        }
    }

    /** Holder {@code peer} answered leaf-hashes request {@code token}. */
    public void hashesArrived(int peer, long token, Hashes hashes) {
        leafLayer.hashesArrived(holders.get(peer), token, hashes);
    }

    /** The partial download is started: the spans kept meanwhile go to the disk to be verified and written. */
    public void partialStarted() {
        if (end.isDone() || held != null || !leafLayer.isOver()) {
            return;
        }
        held = new BitSet(leafCount());
        early.writeTo(env);
        if (end.partialStarted()) {
            return;
        }
        fillAll();
    }

    /** The partial download could not be started. */
    public void partialFailed(Exception e) {
        if (!end.partialFailed()) {
            fail(new DownloadFailedException(id, "could not start the partial download", e));
        }
    }

    /**
     * Starts asking for spans once the length is proven, while the rest of the leaf layer comes
     * in: the spans that arrive before it is complete are kept (within the pending-write bound)
     * and verified and written once the partial download starts; none is written or served before.
     */
    private void scheduleEarly() {
        startSchedule(0);
        for (Holder o : holders.all()) {
            if (o.state == PeerProgress.State.CONNECTED && !end.isDone()) {
                addToSchedule(o);
            }
        }
        fillAll();
    }

    /** The first piece of the leaf layer verified against the ID: its length is the file's. */
    private void lengthProven(long provenLengthBytes) {
        lengthBytes = provenLengthBytes;
        LOG.debug("download of {}: the length {} is proven", id, lengthBytes);
        for (Holder o : holders.all()) {
            if (o.state == PeerProgress.State.CONNECTED && o.claimedLengthBytes != lengthBytes) {
                dropHolder(o, PeerProgress.State.FAILED, lengthContradiction(o));
            }
        }
    }

    private void startSchedule(long bytesAlreadyDone) {
        schedule = new DownloadSchedule(lengthBytes, held == null ? new BitSet(leafCount()) : held, options.schedule(),
                env.random().nextInt(leafCount()));
        tally.startWith(bytesAlreadyDone);
        if (schedule.isComplete()) {
            end.allIn();
        }
    }

    // ---- spans ----------------------------------------------------------------------------------

    private void fillAll() {
        for (Holder h : holders.all()) {
            fill(h);
        }
    }

    private void fill(Holder h) {
        if (schedule == null || end.isDone() || end.isFinishing() || h.state != PeerProgress.State.CONNECTED
                || pendingWriteBytes >= options.maxPendingWriteBytes()) {
            return;
        }
        for (SpanRequest r : schedule.nextRequests(h.peer, env.nowNanos())) {
            sent.put(r.id(), r);
            h.link.requestSpan(r.id(), r.height(), r.index());
        }
    }

    /** Holder {@code peer} answered span request {@code token}. */
    public void spanArrived(int peer, long token, Span span) {
        Holder h = holders.get(peer);
        SpanRequest r = sent.get(token);
        if (r == null || r.peer() != h.peer || schedule == null || !schedule.onArrived(token, env.nowNanos())) {
            tally.duplicate(span.proof().spanLengthBytes());
            fill(h);
            return;
        }
        stalls.delivered(h);
        h.busyInARow = 0;
        if (span.height() != r.height() || span.index() != r.index()) {
            badSpan(h, r, "sent span (" + span.height() + ", " + span.index() + ") for request of span ("
                    + r.height() + ", " + r.index() + ")");
            return;
        }
        ByteBuffer data = span.dataView();
        int length = data.remaining();
        pendingWriteBytes += length;
        writing.put(r.id(), new Write(h, r, length));
        if (held == null) {
            early.keep(r.id(), r.height(), r.index(), data);
        } else {
            env.writeSpan(r.id(), r.height(), r.index(), data);
        }
        fill(h);
    }

    /** The span of request {@code requestId} verified and is on disk; {@code doneNow} bytes are held. */
    public void spanWritten(long requestId, long doneNow) {
        Write w = writing.remove(requestId);
        if (w == null) {
            return;
        }
        Holder h = w.holder();
        SpanRequest r = w.request();
        pendingWriteBytes -= w.lengthBytes();
        tally.held(doneNow);
        if (end.closesOnceWritten()) {
            held.set((int) r.firstLeaf(), (int) r.endLeaf());
            end.writeOver();
            return;
        }
        held.set((int) r.firstLeaf(), (int) r.endLeaf());
        sent.remove(r.id());
        h.bytesFetched += w.lengthBytes();
        h.spansFetched++;
        tally.fetched(w.lengthBytes());
        for (SpanRequest loser : schedule.onVerified(r.id())) {
            sent.remove(loser.id());
            Holder other = holders.get(loser.peer());
            if (other.state == PeerProgress.State.CONNECTED) {
                other.link.cancel(loser.id());
            }
        }
        if (schedule.isComplete()) {
            end.allIn();
            return;
        }
        fillAll();
    }

    /** The span of request {@code requestId} failed verification: its holder is banned. */
    public void spanRejected(long requestId, String reason) {
        Write w = writing.remove(requestId);
        if (w == null) {
            return;
        }
        pendingWriteBytes -= w.lengthBytes();
        if (end.closesOnceWritten()) {
            end.writeOver();
            return;
        }
        badSpan(w.holder(), w.request(), reason);
    }

    /**
     * Writing failed for a reason other than the data: the run fails, except for a write that
     * found the partial download already closed ({@code closedUnderIt}) while the run is ending.
     */
    public void diskFailed(Exception e, boolean closedUnderIt) {
        if (!end.diskFailed(closedUnderIt)) {
            fail(new DownloadFailedException(id, "writing a span failed", e));
        }
    }

    private void badSpan(Holder h, SpanRequest r, String reason) {
        tally.rejected();
        h.rejectedSpans++;
        sent.remove(r.id());
        schedule.onRejected(r.id()).forEach(o -> sent.remove(o.id()));
        if (h.live() && h.link != null) { // once: later bad spans of a banned holder are already gone
            h.link.reject("a span failed verification: " + reason);
        }
        dropHolder(h, PeerProgress.State.BANNED, "sent a span that failed verification: " + reason);
        // A bad span that arrives after its holder was banned frees leaves no one has asked for
        // since, and dropHolder does nothing for a holder already gone: ask the others now.
        fillAll();
    }

    /** Holder {@code peer} refused request {@code token}; {@code busy} if it asked to try later. */
    public void requestFailed(int peer, long token, boolean busy, String reason) {
        Holder h = holders.get(peer);
        if (LeafLayerPhase.isHashesToken(token)) {
            leafLayer.refused(h, token, busy, reason);
            return;
        }
        if (sent.remove(token) == null || schedule == null) {
            return;
        }
        schedule.onAbandoned(token);
        if (busy) {
            if (backOff(h, "answered BUSY to a span")) {
                schedule.onChoked(h.peer);
                fillAll();
            }
        } else {
            dropHolder(h, PeerProgress.State.FAILED, "refused a span: " + reason);
        }
    }

    /** Holder {@code peer} gained leaves. */
    public void have(int peer, Have have) {
        if (schedule == null) {
            return;
        }
        for (LeafRange range : have.ranges()) {
            schedule.peerHas(peer, range.firstLeaf(), range.count());
        }
        fill(holders.get(peer));
    }

    /** Holder {@code peer} choked ({@code true}) or unchoked us. */
    public void choked(int peer, boolean choked) {
        Holder h = holders.get(peer);
        h.chokesUs = choked;
        if (h.state == PeerProgress.State.CONNECTED) {
            leafLayer.choked(h, choked);
        }
        if (schedule == null) {
            return;
        }
        if (choked) {
            schedule.onChoked(h.peer);
            fillAll();
        } else {
            h.busyUntilNanos = -1;
            schedule.onUnchoked(h.peer, env.nowNanos());
            fill(h);
        }
    }

    /** The link to holder {@code peer} is gone, for {@code reason}. */
    public void linkClosed(int peer, String reason) {
        Holder h = holders.get(peer);
        if (h.state == PeerProgress.State.CONNECTED) {
            dropHolder(h, PeerProgress.State.FAILED, "disconnected: " + reason);
        }
    }

    // ---- ticks, end -----------------------------------------------------------------------------

    private void tick() {
        if (end.isDone()) {
            return;
        }
        env.schedule(options.tickMillis(), this::tick);
        long now = env.nowNanos();
        if (!end.isFinishing()) {
            connectMore();
        }
        if (!leafLayer.isOver() && !end.isFinishing()) {
            leafLayer.tick(now);
        }
        if (schedule != null && !end.isFinishing()) {
            stallTick(now);
        }
        if (schedule != null && !end.isFinishing()) {
            makeRoomTick(now);
        }
        tally.sample(now);
        publishProgress();
    }

    /**
     * At the connection limit, with a holder waiting that may be connected now, a connected holder
     * that has held none of the leaves this download lacks for a while (and has nothing asked of
     * it) makes room ({@link HolderSet#toMakeRoom}): it is closed, and may be connected again
     * later (it may have gained leaves by then). One a tick. Without this,
     * getters that arrive together fill their connections with each other, all missing the same
     * leaves, and wait until one of them gets some (in a simulated flash crowd of 1,000, the first
     * getters took 70 s where the others took about 1 s).
     */
    private void makeRoomTick(long now) {
        Holder released = holders.toMakeRoom(now, peer -> schedule.hasPeer(peer)
                && !schedule.offersAnythingMissing(peer) && schedule.outstanding(peer) == 0);
        if (released == null) {
            return;
        }
        dropHolder(released, PeerProgress.State.WAITING, "holds nothing this download lacks; making room for"
                + " another holder (may be connected again in " + HolderSet.USELESS_RETRY_MILLIS + " ms)");
    }

    private void stallTick(long now) {
        List<SpanRequest> released = schedule.findStalls(now);
        stalls.found(released, holders, now);
        for (Holder h : holders.all()) {
            if (h.state != PeerProgress.State.CONNECTED) {
                continue;
            }
            if (h.busyUntilNanos >= 0 && now >= h.busyUntilNanos) {
                h.busyUntilNanos = -1;
                schedule.onUnchoked(h.peer, now);
                fill(h);
            }
            String stalledTooLong = stalls.check(h, schedule.isStalled(h.peer), now);
            if (stalledTooLong != null) {
                dropHolder(h, PeerProgress.State.FAILED, stalledTooLong);
            }
        }
        if (!released.isEmpty()) {
            fillAll();
        }
    }

    private void publishProgress() {
        env.progressed(progress());
    }

    /** A snapshot of where the run stands. */
    public DownloadProgress progress() {
        return tally.snapshot(lengthBytes, holders.all(), schedule);
    }

    /** The whole file checked out and is at its destination. */
    public void completed() {
        end.end(null);
    }

    /** The whole-file check or the publish failed. */
    public void completeFailed(Exception e) {
        end.end(new DownloadFailedException(id, "could not complete the file", e));
    }

    /** The partial download is saved and closed after a failure. */
    public void partialClosed() {
        end.partialClosed();
    }

    private void fail(Exception cause) {
        end.fail(cause, leafLayer.isOver() && held == null, held != null);
    }

    /** What the end of the run does. */
    private final class EndEvents implements RunEnd.Core {
        @Override
        public void closeLinks() {
            holders.closeLinks();
        }

        @Override
        public void complete() {
            publishProgress(); // every byte is in: listeners learn that the whole-file check begins
            env.complete();
        }

        @Override
        public boolean writesPending() {
            return !writing.isEmpty();
        }

        @Override
        public void closePartial() {
            env.closePartial();
        }

        @Override
        public void ended(Exception error) {
            tally.sample(env.nowNanos());
            publishProgress();
            env.ended(error);
        }
    }
}
