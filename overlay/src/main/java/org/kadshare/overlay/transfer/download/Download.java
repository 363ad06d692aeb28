package org.kadshare.overlay.transfer.download;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.kadshare.overlay.transfer.TransferException;
import org.kadshare.overlay.transfer.schedule.BusyBackoff;
import org.kadshare.overlay.transfer.schedule.DownloadSchedule;
import org.kadshare.overlay.transfer.schedule.SpanRequest;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.LeafRange;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.LeafLayerRejectedException;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.SpanRejectedException;
import org.kadshare.storage.StorageFullException;
import org.kadshare.storage.StoredFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one file from several holders at once into the block store, verifying every span before
 * it is written, and publishes it at its destination once the whole file checks out.
 *
 * <p>Design note. All decisions are the {@link DownloadSchedule}'s; this class only carries them
 * out. Everything it owns (the schedule, the holders, the leaf-layer fetch, the counters) lives on
 * one download thread; network events from the transfer client's event loop and results from the
 * disk threads are posted to it, so nothing here takes a lock. Verification and disk writes
 * ({@link PartialDownload#writeSpan}, which hashes every leaf and forces it to disk) run on a
 * small bounded pool, never on a Netty event loop; bytes waiting for that pool are bounded by
 * {@link DownloadOptions#maxPendingWriteBytes()}, above which no new request is sent. Order of a
 * run: resume the partial download if the store has one (it has the verified leaf layer and the
 * leaves already held), else fetch the leaf layer from the first holders to connect (GET_HASHES,
 * each piece checked against the ID; a bad piece bans its sender); then keep every connected
 * holder's pipeline full, check for stalls every tick, and finish with the whole-file check and
 * atomic rename. When every holder has dropped out the run fails with a
 * {@link DownloadFailedException} naming each and why, and the partial state is saved for a later
 * run, which fetches only the missing leaves.
 *
 * <p>The length is never taken on anyone's word. A resumed run has it from the partial download
 * (whose leaf layer was verified against the ID); a new run asks each holder for the leaf layer of
 * the length it gives in its handshake, and the first piece that verifies proves the length, since
 * the ID binds it. Holders that gave another length are dropped then. Until then
 * {@link DownloadProgress#totalBytes()} is -1.
 *
 * <p>Holders may be given after the start ({@link #addHolder}, for holders a lookup still finds);
 * they wait for a free connection slot. Such a run does not end for want of holders until
 * {@link #noMoreHolders()} says none will come. A holder that answers BUSY (to the connection, the
 * leaf hashes or a span) is tried again after a pause that doubles ({@link BusyBackoff}), while
 * the others are used; one that gives no leaf hashes within the stalled-holder timeout is dropped.
 */
public final class Download {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);
    private static final long HASHES_TOKEN_BASE = -1_000_000L;
    /** Holders known to one download at most, including those already dropped. */
    static final int MAX_KNOWN_HOLDERS = 4096;
    /** Holders waiting or connected at once at most; more are ignored until some drop out. */
    static final int MAX_PENDING_HOLDERS = 256;
    private static final long UNKNOWN_LENGTH = -1;

    private final ContentId id;
    /** Proven against the ID, or {@link #UNKNOWN_LENGTH} until a holder's first piece verifies. */
    private long lengthBytes = UNKNOWN_LENGTH;
    private final BlockStore store;
    private final Destination destination;
    private final DownloadOptions options;
    private final PeerConnector connector;
    private final boolean ownsConnector;
    private final List<Holder> holders = new ArrayList<>();
    private final ScheduledExecutorService loop;
    private final ThreadPoolExecutor disk;
    private final CompletableFuture<StoredFile> result = new CompletableFuture<>();
    private final Map<Long, SpanRequest> sent = new HashMap<>();
    private final RateMeter rate = new RateMeter(2_000_000_000L);
    private final BusyBackoff busyBackoff;
    /** Before the length is proven: one leaf-layer fetch per length some holder gives. */
    private final Map<Long, LeafLayerFetch> candidates = new TreeMap<>();
    private boolean moreHoldersMayCome;

    private PartialDownload partial;
    private LeafLayerFetch layerFetch;
    private DownloadSchedule schedule;
    private long pendingWriteBytes;
    private long duplicateBytes;
    private long rejectedSpans;
    private long fetchedBytes;
    private long bytesDone;
    private boolean finishing;
    /** The whole-file check and publish are under way on the disk thread; their outcome stands. */
    private boolean completing;
    private boolean done;
    private volatile DownloadProgress progress;

    private Download(ContentId id, List<InetSocketAddress> holderAddresses, boolean moreHoldersMayCome,
            BlockStore store, Destination destination, DownloadOptions options, PeerConnector connector,
            boolean ownsConnector) {
        this.id = Objects.requireNonNull(id, "id");
        this.moreHoldersMayCome = moreHoldersMayCome;
        this.store = Objects.requireNonNull(store, "store");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.options = Objects.requireNonNull(options, "options");
        this.connector = connector;
        this.ownsConnector = ownsConnector;
        this.busyBackoff = new BusyBackoff(options.busyBackoffMillis());
        if (holderAddresses.isEmpty() && !moreHoldersMayCome) {
            throw new IllegalArgumentException("no holders given for " + id);
        }
        holderAddresses.forEach(this::know);
        String name = "kadshare-download-" + id.toHex().substring(0, 8);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
        this.disk = new ThreadPoolExecutor(options.diskThreads(), options.diskThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4096), r -> daemon(r, name + "-disk"));
        this.progress = snapshot();
    }

    private int leafCount() {
        return (int) MerkleTree.leafCount(lengthBytes);
    }

    /** Adds {@code address} as a holder unless it is known already or too many are; true if added. */
    private boolean know(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (holders.size() >= MAX_KNOWN_HOLDERS
                || holders.stream().filter(h -> h.live() || h.state == PeerProgress.State.WAITING).count()
                >= MAX_PENDING_HOLDERS
                || holders.stream().anyMatch(h -> h.address.equals(address))) {
            return false;
        }
        holders.add(new Holder(holders.size(), address));
        return true;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts downloading {@code id} from {@code holders} (all there will be) into {@code store}, to
     * appear at {@code destination} when complete. The length is learned from the holders, proven
     * against the ID. Uses its own block-transfer client, closed at the end.
     */
    public static Download start(ContentId id, List<InetSocketAddress> holders, BlockStore store,
            Path destination, DownloadOptions options) {
        return start(id, holders, false, store, destination, options, new WireConnector(options), true);
    }

    /**
     * Like {@link #start}, for a run whose holders are still being found: {@code holders} may be
     * empty, more come through {@link #addHolder}, and the run does not fail for want of holders
     * before {@link #noMoreHolders()}.
     */
    public static Download startFinding(ContentId id, List<InetSocketAddress> holders, BlockStore store,
            Path destination, DownloadOptions options) {
        return startFinding(id, holders, store, () -> destination, options);
    }

    /** Like {@link #startFinding(ContentId, List, BlockStore, Path, DownloadOptions)}, named at the end. */
    public static Download startFinding(ContentId id, List<InetSocketAddress> holders, BlockStore store,
            Destination destination, DownloadOptions options) {
        return start(id, holders, true, store, destination, options, new WireConnector(options), true);
    }

    /**
     * Where a finished download is published: asked once, on a disk thread, when every byte is in
     * and verified, so a name that depends on manifests still arriving during the run is chosen
     * from all of them.
     */
    @FunctionalInterface
    public interface Destination {
        Path path() throws IOException;
    }

    static Download start(ContentId id, List<InetSocketAddress> holders, boolean moreHoldersMayCome,
            BlockStore store, Path destination, DownloadOptions options, PeerConnector connector,
            boolean ownsConnector) {
        Objects.requireNonNull(destination, "destination");
        return start(id, holders, moreHoldersMayCome, store, () -> destination, options, connector, ownsConnector);
    }

    private static Download start(ContentId id, List<InetSocketAddress> holders, boolean moreHoldersMayCome,
            BlockStore store, Destination destination, DownloadOptions options, PeerConnector connector,
            boolean ownsConnector) {
        Download d = new Download(id, holders, moreHoldersMayCome, store, destination, options, connector,
                ownsConnector);
        // The tick first: a run that ends in begin() shuts the loop down, and a tick scheduled
        // after that would be rejected and thrown at the caller.
        d.loop.scheduleAtFixedRate(d::tick, options.tickMillis(), options.tickMillis(), TimeUnit.MILLISECONDS);
        d.loop.execute(d::begin);
        return d;
    }

    /**
     * Completes with the stored file once it is at its destination, or exceptionally with a
     * {@link DownloadFailedException} (the partial state is kept) or a
     * {@link CancellationException} after {@link #cancel()}.
     */
    public CompletableFuture<StoredFile> result() {
        return result.copy();
    }

    /** The latest progress snapshot (refreshed every tick). */
    public DownloadProgress progress() {
        return progress;
    }

    /**
     * Adds a holder found after the start; it is connected when a connection slot is free. One
     * already known, or one past {@link #MAX_PENDING_HOLDERS} waiting or connected, is ignored.
     */
    public void addHolder(InetSocketAddress holder) {
        Objects.requireNonNull(holder, "holder");
        run(() -> {
            if (!finishing && know(holder)) {
                connectMore();
            }
        });
    }

    /** No holder will be added any more: once every known one has dropped out, the run fails. */
    public void noMoreHolders() {
        run(() -> {
            moreHoldersMayCome = false;
            checkAllGone();
        });
    }

    /** Stops the download, keeping what was verified for a later run. */
    public void cancel() {
        run(() -> fail(new CancellationException("download of " + id + " cancelled")));
    }

    /** The content downloaded. */
    public ContentId id() {
        return id;
    }

    private void run(Runnable task) {
        try {
            loop.execute(() -> {
                if (done) {
                    return;
                }
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.error("download of {} hit a bug", id, e);
                    fail(new DownloadFailedException(id, "internal error: " + e, e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("download of {} is over; event dropped", id);
        }
    }

    private static long now() {
        return System.nanoTime();
    }

    // ---- start, connections ------------------------------------------------------------------

    private void begin() {
        try {
            partial = store.resumeDownload(id).orElse(null);
        } catch (IOException e) {
            fail(new DownloadFailedException(id, "could not read the partial download in the store", e));
            return;
        }
        if (partial != null) {
            lengthBytes = partial.lengthBytes();
            startSchedule();
            if (done) {
                return;
            }
        }
        connectMore();
    }

    private void connectMore() {
        if (finishing) {
            return;
        }
        long live = holders.stream().filter(Holder::live).count();
        long now = now();
        for (Holder h : holders) {
            if (live >= options.maxConnections()) {
                break;
            }
            if (h.state == PeerProgress.State.WAITING && (h.busyUntilNanos < 0 || now >= h.busyUntilNanos)) {
                h.busyUntilNanos = -1;
                connect(h);
                live++;
            }
        }
        checkAllGone();
    }

    private void connect(Holder h) {
        h.state = PeerProgress.State.CONNECTING;
        Holdings mine = partial == null || partial.heldLeafCount() == 0 ? Holdings.none()
                : partial.isComplete() ? Holdings.complete() : Holdings.partial(partial.heldBitfield());
        Handshake ours = new Handshake(options.localNodeId(), id,
                mine.kind() == Holdings.Kind.NONE ? Handshake.UNKNOWN_LENGTH : lengthBytes, mine);
        CompletableFuture<PeerLink> f;
        try {
            f = connector.connect(h.address, ours, new Events(h));
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.orTimeout(options.connectTimeoutMillis(), TimeUnit.MILLISECONDS).whenComplete((link, error) -> {
            if (error != null && isBusy(error)) {
                run(() -> connectBusy(h));
            } else if (error != null) {
                run(() -> dropHolder(h, PeerProgress.State.FAILED, "could not connect: " + describe(error)));
            } else {
                run(() -> connected(h, link));
                if (done) {
                    link.close();
                }
            }
        });
    }

    private static boolean isBusy(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof TransferException t && t.code() == ErrorCode.BUSY) {
                return true;
            }
        }
        return false;
    }

    /** The holder refused the connection as BUSY: it waits for another try, the others go on. */
    private void connectBusy(Holder h) {
        if (h.state != PeerProgress.State.CONNECTING) {
            return;
        }
        h.state = PeerProgress.State.WAITING;
        if (backOff(h, "refused the connection as BUSY")) {
            connectMore();
        }
    }

    /**
     * Counts a BUSY answer of {@code h} and sets when it may be asked again; drops it (and returns
     * false) once it has said BUSY too often in a row. The answers to requests sent together (a
     * pipeline) count once: only a BUSY to a try after the pause counts again.
     */
    private boolean backOff(Holder h, String what) {
        if (h.busyUntilNanos >= 0 && now() < h.busyUntilNanos) {
            return true;
        }
        h.busyInARow++;
        if (busyBackoff.givesUp(h.busyInARow)) {
            dropHolder(h, PeerProgress.State.FAILED, what + " " + h.busyInARow + " times in a row");
            return false;
        }
        long pause = busyBackoff.pauseMillis(h.busyInARow);
        h.busyUntilNanos = now() + pause * 1_000_000L;
        h.failure = what + "; trying again in " + pause + " ms";
        LOG.debug("download of {}: holder {} {}", id, h.address, h.failure);
        return true;
    }

    private static String describe(Throwable error) {
        Throwable e = error;
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof java.util.concurrent.TimeoutException) {
            return "no handshake in time";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private void connected(Holder h, PeerLink link) {
        if (h.state != PeerProgress.State.CONNECTING) {
            link.close();
            return;
        }
        h.link = link;
        h.state = PeerProgress.State.CONNECTED;
        h.busyInARow = 0;
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
        if (schedule != null) {
            addToSchedule(h);
            fill(h);
        } else {
            askForHashes(h);
        }
    }

    private String lengthContradiction(Holder h) {
        return "it gives the length as " + h.claimedLengthBytes + " bytes, the ID proves " + lengthBytes;
    }

    private void addToSchedule(Holder h) {
        if (!schedule.addPeer(h.peer, h.link.holdings().leaves(leafCount()), now())) {
            dropHolder(h, PeerProgress.State.BANNED, h.failure);
            return;
        }
        if (h.link.handshakeRttNanos() >= 0) {
            schedule.observeRtt(h.peer, h.link.handshakeRttNanos());
        }
    }

    private void dropHolder(Holder h, PeerProgress.State state, String reason) {
        if (finishing || (!h.live() && h.state != PeerProgress.State.WAITING)) {
            return;
        }
        h.state = state;
        h.failure = reason;
        LOG.debug("download of {}: holder {} dropped: {}", id, h.address, reason);
        if (h.link != null) {
            h.link.close();
        }
        LeafLayerFetch fetch = layerFetchOf(h);
        if (fetch != null) {
            fetch.forget(h.peer);
        }
        if (schedule != null) {
            List<SpanRequest> gone = state == PeerProgress.State.BANNED ? schedule.ban(h.peer)
                    : schedule.onPeerGone(h.peer);
            gone.forEach(r -> sent.remove(r.id()));
            fillAll();
        } else {
            holders.stream().filter(o -> o.state == PeerProgress.State.CONNECTED).forEach(this::askForHashes);
        }
        connectMore();
    }

    private void checkAllGone() {
        if (done || finishing || moreHoldersMayCome
                || holders.stream().anyMatch(h -> h.live() || h.state == PeerProgress.State.WAITING)) {
            return;
        }
        Map<InetSocketAddress, String> failures = new LinkedHashMap<>();
        holders.forEach(h -> failures.put(h.address, h.state + ": " + h.failure));
        fail(new DownloadFailedException(id, lengthBytes == UNKNOWN_LENGTH
                ? "every holder is gone before one proved the file's length"
                : "every holder is gone with " + (lengthBytes - bytesDone) + " of " + lengthBytes
                + " bytes missing (the verified part is kept for a later run)", failures));
    }

    // ---- leaf layer -----------------------------------------------------------------------------

    /**
     * The leaf-layer fetch {@code h} takes part in: the one of the proven length, or before the
     * proof the one of the length {@code h} gave; null once the layer is known or before {@code h}
     * has connected.
     */
    private LeafLayerFetch layerFetchOf(Holder h) {
        if (partial != null || h.claimedLengthBytes == UNKNOWN_LENGTH) {
            return null;
        }
        if (lengthBytes != UNKNOWN_LENGTH) {
            return layerFetch;
        }
        return candidates.computeIfAbsent(h.claimedLengthBytes, length -> new LeafLayerFetch(id, length));
    }

    private void askForHashes(Holder h) {
        if (h.state != PeerProgress.State.CONNECTED || h.busyUntilNanos >= 0) {
            return;
        }
        LeafLayerFetch fetch = layerFetchOf(h);
        if (fetch == null) {
            return;
        }
        int piece = fetch.ask(h.peer, now());
        if (piece >= 0) {
            h.link.requestHashes(HASHES_TOKEN_BASE - piece, fetch.pieceHeight(), piece);
        }
    }

    private void hashesArrived(Holder h, long token, Hashes hashes) {
        int piece = (int) (HASHES_TOKEN_BASE - token);
        LeafLayerFetch fetch = layerFetchOf(h);
        if (fetch == null || !fetch.isAsking(h.peer, piece)) {
            return;
        }
        String problem = fetch.accept(h.peer, piece, hashes);
        if (problem != null) {
            dropHolder(h, PeerProgress.State.BANNED, problem);
            return;
        }
        h.busyInARow = 0;
        if (lengthBytes == UNKNOWN_LENGTH) {
            lengthProven(fetch);
        }
        for (int other : layerFetch.withdrawAsks(piece)) {
            holders.get(other).link.cancel(token);
        }
        if (!layerFetch.isComplete()) {
            holders.stream().filter(o -> o.state == PeerProgress.State.CONNECTED).forEach(this::askForHashes);
            return;
        }
        try {
            partial = store.startDownload(id, lengthBytes, layerFetch.layer());
        } catch (IOException | LeafLayerRejectedException e) {
            fail(new DownloadFailedException(id, "could not start the partial download", e));
            return;
        }
        layerFetch = null;
        startSchedule();
        for (Holder o : holders) {
            if (o.state == PeerProgress.State.CONNECTED && !done) {
                addToSchedule(o);
            }
        }
        fillAll();
    }

    /** {@code fetch}'s first piece verified against the ID: its length is the file's. */
    private void lengthProven(LeafLayerFetch fetch) {
        lengthBytes = fetch.lengthBytes();
        layerFetch = fetch;
        candidates.clear();
        LOG.debug("download of {}: the length {} is proven", id, lengthBytes);
        for (Holder o : holders) {
            if (o.state == PeerProgress.State.CONNECTED && o.claimedLengthBytes != lengthBytes) {
                dropHolder(o, PeerProgress.State.FAILED, lengthContradiction(o));
            }
        }
    }

    private void startSchedule() {
        schedule = new DownloadSchedule(lengthBytes, Holdings.partial(partial.heldBitfield()).leaves(leafCount()),
                options.schedule());
        bytesDone = partial.bytesDone();
        if (schedule.isComplete()) {
            finish();
        }
    }

    // ---- spans ----------------------------------------------------------------------------------

    private void fillAll() {
        for (Holder h : holders) {
            fill(h);
        }
    }

    private void fill(Holder h) {
        if (schedule == null || done || finishing || h.state != PeerProgress.State.CONNECTED
                || pendingWriteBytes >= options.maxPendingWriteBytes()) {
            return;
        }
        for (SpanRequest r : schedule.nextRequests(h.peer, now())) {
            sent.put(r.id(), r);
            h.link.requestSpan(r.id(), r.height(), r.index());
        }
    }

    private void spanArrived(Holder h, long token, Span span) {
        SpanRequest r = sent.get(token);
        if (r == null || r.peer() != h.peer || schedule == null || !schedule.onArrived(token, now())) {
            duplicateBytes += span.proof().spanLengthBytes();
            fill(h);
            return;
        }
        h.stalledSinceNanos = -1;
        h.busyInARow = 0;
        if (span.height() != r.height() || span.index() != r.index()) {
            badSpan(h, r, "sent span (" + span.height() + ", " + span.index() + ") for request of span ("
                    + r.height() + ", " + r.index() + ")");
            return;
        }
        ByteBuffer data = span.dataView();
        int length = data.remaining();
        pendingWriteBytes += length;
        PartialDownload target = partial;
        disk.execute(() -> {
            try {
                target.writeSpan(r.height(), r.index(), data);
                long doneNow = target.bytesDone();
                run(() -> written(h, r, length, doneNow));
            } catch (SpanRejectedException e) {
                run(() -> {
                    pendingWriteBytes -= length;
                    badSpan(h, r, e.getMessage());
                });
            } catch (IOException e) {
                run(() -> fail(new DownloadFailedException(id, "writing a span failed", e)));
            } catch (IllegalStateException e) {
                run(() -> {
                    if (!finishing) {
                        fail(new DownloadFailedException(id, "writing a span failed", e));
                    }
                });
            }
        });
        fill(h);
    }

    private void written(Holder h, SpanRequest r, int bytes, long doneNow) {
        pendingWriteBytes -= bytes;
        bytesDone = Math.max(bytesDone, doneNow);
        sent.remove(r.id());
        h.bytesFetched += bytes;
        h.spansFetched++;
        fetchedBytes += bytes;
        for (SpanRequest loser : schedule.onVerified(r.id())) {
            sent.remove(loser.id());
            Holder other = holders.get(loser.peer());
            if (other.state == PeerProgress.State.CONNECTED) {
                other.link.cancel(loser.id());
            }
        }
        if (schedule.isComplete()) {
            finish();
            return;
        }
        fillAll();
    }

    private void badSpan(Holder h, SpanRequest r, String reason) {
        rejectedSpans++;
        h.rejectedSpans++;
        sent.remove(r.id());
        schedule.onRejected(r.id()).forEach(o -> sent.remove(o.id()));
        if (h.live() && h.link != null) { // once: later bad spans of a banned holder are already gone
            h.link.reject("a span failed verification: " + reason);
        }
        dropHolder(h, PeerProgress.State.BANNED, "sent a span that failed verification: " + reason);
    }

    private void requestFailed(Holder h, long token, boolean busy, String reason) {
        if (token <= HASHES_TOKEN_BASE) {
            LeafLayerFetch fetch = layerFetchOf(h);
            if (fetch == null || !fetch.isAsking(h.peer, (int) (HASHES_TOKEN_BASE - token))) {
                return;
            }
            fetch.forget(h.peer);
            if (!busy) {
                dropHolder(h, PeerProgress.State.FAILED, "refused the leaf hashes: " + reason);
            } else if (backOff(h, "answered BUSY to the leaf hashes")) {
                // the piece may go to another holder meanwhile
                holders.stream().filter(o -> o.state == PeerProgress.State.CONNECTED).forEach(this::askForHashes);
            }
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

    private void have(Holder h, Have have) {
        if (schedule == null) {
            return;
        }
        for (LeafRange range : have.ranges()) {
            schedule.peerHas(h.peer, range.firstLeaf(), range.count());
        }
        fill(h);
    }

    private void choked(Holder h, boolean choked) {
        if (schedule == null) {
            return;
        }
        if (choked) {
            schedule.onChoked(h.peer);
            fillAll();
        } else {
            h.busyUntilNanos = -1;
            schedule.onUnchoked(h.peer, now());
            fill(h);
        }
    }

    // ---- ticks, end -----------------------------------------------------------------------------

    private void tick() {
        if (done) {
            return;
        }
        long now = now();
        if (!finishing) {
            connectMore();
        }
        if (schedule == null && !finishing) {
            leafLayerTick(now);
        }
        if (schedule != null && !finishing) {
            List<SpanRequest> released = schedule.findStalls(now);
            for (SpanRequest r : released) {
                Holder h = holders.get(r.peer());
                if (h.stalledSinceNanos < 0) {
                    h.stalledSinceNanos = now;
                }
            }
            for (Holder h : holders) {
                if (h.state != PeerProgress.State.CONNECTED) {
                    continue;
                }
                if (h.busyUntilNanos >= 0 && now >= h.busyUntilNanos) {
                    h.busyUntilNanos = -1;
                    schedule.onUnchoked(h.peer, now);
                    fill(h);
                }
                if (!schedule.isStalled(h.peer)) {
                    h.stalledSinceNanos = -1;
                } else if (h.stalledSinceNanos >= 0
                        && now - h.stalledSinceNanos > options.stalledPeerTimeoutMillis() * 1_000_000L) {
                    dropHolder(h, PeerProgress.State.FAILED, "stalled for more than "
                            + options.stalledPeerTimeoutMillis() + " ms");
                }
            }
            if (!released.isEmpty()) {
                fillAll();
            }
        }
        rate.sample(now, fetchedBytes);
        publishProgress();
    }

    /** Asks again the holders whose BUSY pause is over, and drops those that never answered. */
    private void leafLayerTick(long now) {
        long timeoutNanos = options.stalledPeerTimeoutMillis() * 1_000_000L;
        for (Holder h : holders) {
            if (h.state != PeerProgress.State.CONNECTED) {
                continue;
            }
            LeafLayerFetch fetch = layerFetchOf(h);
            if (fetch != null && fetch.isOverdue(h.peer, now, timeoutNanos)) {
                dropHolder(h, PeerProgress.State.FAILED, "sent no leaf hashes within "
                        + options.stalledPeerTimeoutMillis() + " ms");
            } else if (h.busyUntilNanos >= 0 && now >= h.busyUntilNanos) {
                h.busyUntilNanos = -1;
                askForHashes(h);
            }
        }
    }

    private void publishProgress() {
        progress = snapshot();
        if (options.progressListener() != null) {
            try {
                options.progressListener().accept(progress);
            } catch (RuntimeException e) {
                LOG.warn("progress listener of the download of {} failed", id, e);
            }
        }
    }

    private DownloadProgress snapshot() {
        long doneBytes = bytesDone;
        double bps = rate.bytesPerSecond();
        long eta = lengthBytes == UNKNOWN_LENGTH ? -1 : bps > 0 ? (long) ((lengthBytes - doneBytes) * 1000 / bps)
                : doneBytes == lengthBytes ? 0 : -1;
        List<PeerProgress> peers = new ArrayList<>();
        int connected = 0;
        for (Holder h : holders) {
            peers.add(h.progress());
            if (h.state == PeerProgress.State.CONNECTED) {
                connected++;
            }
        }
        return new DownloadProgress(lengthBytes, doneBytes, Math.max(bps, 0), connected, eta,
                schedule == null ? 0 : schedule.duplicatesIssued(), duplicateBytes, rejectedSpans,
                schedule == null ? 0 : schedule.stallsDetected(), peers);
    }

    private void finish() {
        if (finishing || done) {
            return;
        }
        finishing = true;
        completing = true;
        for (Holder h : holders) {
            if (h.link != null && h.live()) {
                h.link.close();
            }
        }
        publishProgress(); // every byte is in: listeners learn that the whole-file check begins
        PartialDownload target = partial;
        disk.execute(() -> {
            try {
                StoredFile stored = target.complete(destination.path(), options.overwrite());
                run(() -> end(stored, null));
            } catch (IOException | RuntimeException e) {
                run(() -> end(null, new DownloadFailedException(id, "could not complete the file", e)));
            }
        });
    }

    private void fail(Exception cause) {
        if (done || completing) {
            // Too late to fail: every leaf is verified and the file is being published; reporting
            // a failure now would leave a complete file behind a "cancelled" result.
            return;
        }
        for (Holder h : holders) {
            if (h.link != null && h.live()) {
                h.link.close();
            }
        }
        PartialDownload target = partial;
        if (target != null && !finishing) {
            disk.execute(() -> {
                try {
                    target.close();
                } catch (IOException e) {
                    warnNotSaved(e);
                }
                run(() -> end(null, cause));
            });
            finishing = true;
        } else {
            end(null, cause);
        }
    }

    private void warnNotSaved(IOException e) {
        if (e instanceof StorageFullException) {
            LOG.warn("could not save the state of the partial download of {}: {}", id, e.getMessage());
        } else {
            LOG.warn("could not save the state of the partial download of {}", id, e);
        }
    }

    private void end(StoredFile stored, Exception error) {
        if (done) {
            return;
        }
        done = true;
        if (error != null && partial != null) {
            try {
                partial.close();
            } catch (IOException e) {
                warnNotSaved(e);
            }
        }
        rate.sample(now(), fetchedBytes);
        publishProgress();
        if (ownsConnector) {
            connector.close();
        }
        loop.shutdown();
        disk.shutdown();
        if (error == null) {
            result.complete(stored);
        } else {
            result.completeExceptionally(error);
        }
    }

    private final class Events implements PeerEvents {
        private final Holder h;

        Events(Holder h) {
            this.h = h;
        }

        @Override
        public void spanArrived(long token, Span span) {
            run(() -> Download.this.spanArrived(h, token, span));
        }

        @Override
        public void hashesArrived(long token, Hashes hashes) {
            run(() -> Download.this.hashesArrived(h, token, hashes));
        }

        @Override
        public void requestFailed(long token, boolean busy, String reason) {
            run(() -> Download.this.requestFailed(h, token, busy, reason));
        }

        @Override
        public void have(Have have) {
            run(() -> Download.this.have(h, have));
        }

        @Override
        public void choked(boolean choked) {
            run(() -> Download.this.choked(h, choked));
        }

        @Override
        public void closed(String reason) {
            run(() -> {
                if (h.live()) {
                    dropHolder(h, PeerProgress.State.FAILED, "disconnected: " + reason);
                }
            });
        }
    }
}
