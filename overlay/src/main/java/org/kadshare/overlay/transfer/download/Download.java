package org.kadshare.overlay.transfer.download;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.kadshare.overlay.transfer.schedule.DownloadSchedule;
import org.kadshare.overlay.transfer.schedule.SpanRequest;
import org.kadshare.overlay.transfer.wire.Handshake;
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
 */
public final class Download {
    private static final Logger LOG = LoggerFactory.getLogger(Download.class);
    private static final long HASHES_TOKEN_BASE = -1_000_000L;

    private final ContentId id;
    private final long lengthBytes;
    private final BlockStore store;
    private final Path destination;
    private final DownloadOptions options;
    private final PeerConnector connector;
    private final boolean ownsConnector;
    private final List<Holder> holders = new ArrayList<>();
    private final ScheduledExecutorService loop;
    private final ThreadPoolExecutor disk;
    private final CompletableFuture<StoredFile> result = new CompletableFuture<>();
    private final Map<Long, SpanRequest> sent = new HashMap<>();
    private final RateMeter rate = new RateMeter(2_000_000_000L);

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

    private Download(ContentId id, long lengthBytes, List<InetSocketAddress> holderAddresses, BlockStore store,
            Path destination, DownloadOptions options, PeerConnector connector, boolean ownsConnector) {
        this.id = Objects.requireNonNull(id, "id");
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("length " + lengthBytes + " of " + id + " is negative");
        }
        this.lengthBytes = lengthBytes;
        this.store = Objects.requireNonNull(store, "store");
        this.destination = Objects.requireNonNull(destination, "destination");
        this.options = Objects.requireNonNull(options, "options");
        this.connector = connector;
        this.ownsConnector = ownsConnector;
        List<InetSocketAddress> distinct = holderAddresses.stream().distinct().toList();
        if (distinct.isEmpty()) {
            throw new IllegalArgumentException("no holders given for " + id);
        }
        for (InetSocketAddress address : distinct) {
            holders.add(new Holder(holders.size(), address));
        }
        String name = "kadshare-download-" + id.toHex().substring(0, 8);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
        this.disk = new ThreadPoolExecutor(options.diskThreads(), options.diskThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(4096), r -> daemon(r, name + "-disk"));
        this.progress = snapshot();
    }

    private int leafCount() {
        return (int) MerkleTree.leafCount(lengthBytes);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * Starts downloading {@code id} ({@code lengthBytes} long, from its manifest) from
     * {@code holders} into {@code store}, to appear at {@code destination} when complete. Uses its
     * own block-transfer client, closed at the end.
     */
    public static Download start(ContentId id, long lengthBytes, List<InetSocketAddress> holders, BlockStore store,
            Path destination, DownloadOptions options) {
        return start(id, lengthBytes, holders, store, destination, options, new WireConnector(options), true);
    }

    static Download start(ContentId id, long lengthBytes, List<InetSocketAddress> holders, BlockStore store,
            Path destination, DownloadOptions options, PeerConnector connector, boolean ownsConnector) {
        Download d = new Download(id, lengthBytes, holders, store, destination, options, connector, ownsConnector);
        d.loop.execute(d::begin);
        d.loop.scheduleAtFixedRate(d::tick, options.tickMillis(), options.tickMillis(), TimeUnit.MILLISECONDS);
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
            if (partial.lengthBytes() != lengthBytes) {
                fail(new DownloadFailedException(id, "the partial download in the store is " + partial.lengthBytes()
                        + " bytes, the manifest says " + lengthBytes, Map.of()));
                return;
            }
            startSchedule();
            if (done) {
                return;
            }
        } else {
            layerFetch = new LeafLayerFetch(id, lengthBytes);
        }
        connectMore();
    }

    private void connectMore() {
        long live = holders.stream().filter(Holder::live).count();
        for (Holder h : holders) {
            if (live >= options.maxConnections()) {
                break;
            }
            if (h.state == PeerProgress.State.WAITING) {
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
            if (error != null) {
                run(() -> dropHolder(h, PeerProgress.State.FAILED, "could not connect: " + describe(error)));
            } else {
                run(() -> connected(h, link));
                if (done) {
                    link.close();
                }
            }
        });
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
        if (link.lengthBytes() != lengthBytes) {
            dropHolder(h, PeerProgress.State.FAILED, "it gives the length as " + link.lengthBytes()
                    + " bytes, the manifest says " + lengthBytes);
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
        if (layerFetch != null) {
            layerFetch.forget(h.peer);
        }
        if (schedule != null) {
            List<SpanRequest> gone = state == PeerProgress.State.BANNED ? schedule.ban(h.peer)
                    : schedule.onPeerGone(h.peer);
            gone.forEach(r -> sent.remove(r.id()));
            fillAll();
        } else if (layerFetch != null) {
            holders.stream().filter(o -> o.state == PeerProgress.State.CONNECTED).forEach(this::askForHashes);
        }
        connectMore();
    }

    private void checkAllGone() {
        if (done || finishing || holders.stream().anyMatch(h -> h.live() || h.state == PeerProgress.State.WAITING)) {
            return;
        }
        Map<InetSocketAddress, String> failures = new LinkedHashMap<>();
        holders.forEach(h -> failures.put(h.address, h.state + ": " + h.failure));
        fail(new DownloadFailedException(id, "every holder is gone with "
                + (lengthBytes - bytesDone) + " of " + lengthBytes
                + " bytes missing (the verified part is kept for a later run)", failures));
    }

    // ---- leaf layer -----------------------------------------------------------------------------

    private void askForHashes(Holder h) {
        if (layerFetch == null || h.state != PeerProgress.State.CONNECTED) {
            return;
        }
        int piece = layerFetch.ask(h.peer);
        if (piece >= 0) {
            h.link.requestHashes(HASHES_TOKEN_BASE - piece, layerFetch.pieceHeight(), piece);
        }
    }

    private void hashesArrived(Holder h, long token, Hashes hashes) {
        int piece = (int) (HASHES_TOKEN_BASE - token);
        if (layerFetch == null || !layerFetch.isAsking(h.peer, piece)) {
            return;
        }
        String problem = layerFetch.accept(h.peer, piece, hashes);
        if (problem != null) {
            dropHolder(h, PeerProgress.State.BANNED, problem);
            return;
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
        if (span.height() != r.height() || span.index() != r.index()) {
            badSpan(h, r, "sent span (" + span.height() + ", " + span.index() + ") for request of span ("
                    + r.height() + ", " + r.index() + ")");
            return;
        }
        byte[] data = span.data();
        pendingWriteBytes += data.length;
        PartialDownload target = partial;
        disk.execute(() -> {
            try {
                target.writeSpan(r.height(), r.index(), data);
                long doneNow = target.bytesDone();
                run(() -> written(h, r, data.length, doneNow));
            } catch (SpanRejectedException e) {
                run(() -> {
                    pendingWriteBytes -= data.length;
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
        dropHolder(h, PeerProgress.State.BANNED, "sent a span that failed verification: " + reason);
    }

    private void requestFailed(Holder h, long token, boolean busy, String reason) {
        if (token <= HASHES_TOKEN_BASE) {
            if (layerFetch != null && layerFetch.isAsking(h.peer, (int) (HASHES_TOKEN_BASE - token))) {
                layerFetch.forget(h.peer);
            }
            if (busy) {
                return;
            }
            dropHolder(h, PeerProgress.State.FAILED, "refused the leaf hashes: " + reason);
            return;
        }
        if (sent.remove(token) == null || schedule == null) {
            return;
        }
        schedule.onAbandoned(token);
        if (busy) {
            schedule.onChoked(h.peer);
            h.busyUntilNanos = now() + options.busyBackoffMillis() * 1_000_000L;
            fillAll();
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
        long eta = bps > 0 ? (long) ((lengthBytes - doneBytes) * 1000 / bps) : doneBytes == lengthBytes ? 0 : -1;
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
                StoredFile stored = target.complete(destination, options.overwrite());
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
