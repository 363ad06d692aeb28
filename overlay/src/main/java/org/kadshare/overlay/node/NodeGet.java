package org.kadshare.overlay.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.kadshare.overlay.dht.DhtStatus;
import org.kadshare.overlay.dht.LookupTrace;
import org.kadshare.overlay.node.GetFailedException.Reason;
import org.kadshare.overlay.transfer.download.Download;
import org.kadshare.overlay.transfer.download.DownloadFailedException;
import org.kadshare.overlay.transfer.download.DownloadOptions;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.ContentMismatchException;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestException;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.StorageFullException;
import org.kadshare.storage.StoredFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code get}: find the manifest and holders in the DHT, download from every holder but
 * ourselves, and serve what is verified while it runs.
 *
 * <p>Design note. Every decision of a get runs on the node's executor (lookup results, the
 * download's result, cancel and timeout, the swarm updates), so its state needs no lock; progress
 * comes on the download's thread and only records the snapshot and forwards it, and the disk
 * thread that publishes the file names it through {@link GetNaming}, which keeps the manifests
 * found as an immutable snapshot.
 * Swarming: once the download has verified bytes, the node takes the store's open
 * {@link PartialDownload} (the same instance the download writes to), offers it to the block
 * server and announces itself as a holder of the content; later progress sends HAVE for the
 * leaves gained since. When the download ends the offer is withdrawn: on success the store serves
 * the complete file, on failure the verified part stays on disk for a resume. Failures are sorted
 * into {@link Reason}s here, once.
 */
final class NodeGet implements GetTask {
    private static final Logger LOG = LoggerFactory.getLogger(NodeGet.class);
    /** The first pause before looking for holders again; each later pause doubles. */
    private static final long FIRST_LOOK_AGAIN_MILLIS = 1_000;
    /** How often a get fetches again the leaves a failed whole-file check found damaged. */
    static final int MAX_REFETCHES = 2;
    /** Holders behind NATs remembered at most, to say why a get between two unreachable nodes fails. */
    private static final int MAX_UNREACHABLE_HOLDERS = 64;
    /** Why a get fails when every holder found is behind a NAT and so is this node. */
    static final String BOTH_UNREACHABLE = "the only holders are behind NATs that forward nothing, and so is this"
            + " node: neither can connect to the other";

    private final Node node;
    private final ContentId id;
    private final GetNaming naming;
    private final List<InetSocketAddress> knownHolders;
    private final GetOptions options;
    private final CompletableFuture<StoredFile> result = new CompletableFuture<>();
    private final AtomicBoolean swarmUpdatePending = new AtomicBoolean();
    private volatile GetPhase phase = GetPhase.FINDING_HOLDERS;
    private volatile DownloadProgress progress;
    private Download download;
    private boolean timedOut;
    private boolean cancelled;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> lookAgain;
    private int lookups;
    private int refetches;
    private long waitedMillis;
    /** Time spent in lookups nobody answered and the pauses after them (their durations, not a clock). */
    private long unansweredMillis;
    /** Live DHT contacts when the first lookup began; -1 before. */
    private int liveAtStart = -1;
    private int downloadRound;
    /** Holders found behind NATs while this node cannot be reached either (a few are enough to say so). */
    private final java.util.Set<InetSocketAddress> unreachableHolders = new java.util.LinkedHashSet<>();
    private PartialDownload offered;
    private byte[] announcedHeld;

    NodeGet(Node node, ContentId id, DestinationNamer namer, GetOptions options) {
        this(node, id, namer, options, List.of());
    }

    /** A get that also tries {@code knownHolders} (a collection's holders for one of its files). */
    NodeGet(Node node, ContentId id, DestinationNamer namer, GetOptions options, List<InetSocketAddress> knownHolders) {
        this.node = node;
        this.id = id;
        this.naming = new GetNaming(id, namer, node.executor(), node.manifests(), node.ownKey());
        this.options = options;
        this.knownHolders = List.copyOf(knownHolders);
    }

    @Override
    public Path destination() {
        return naming.destination();
    }

    @Override
    public ContentId id() {
        return id;
    }

    @Override
    public GetPhase phase() {
        return phase;
    }

    @Override
    public DownloadProgress progress() {
        return progress;
    }

    @Override
    public CompletableFuture<StoredFile> result() {
        return result;
    }

    @Override
    public void cancel() {
        try {
            node.executor().execute(() -> stop(false));
        } catch (RejectedExecutionException e) {
            stop(false); // the node is closing: nothing else runs on the executor any more
        }
    }

    /** Runs on the node executor. */
    void start() {
        if (options.timeoutMillis() > 0) {
            timeout = node.executor().schedule(() -> stop(true), options.timeoutMillis(), TimeUnit.MILLISECONDS);
        }
        emit(GetPhase.FINDING_HOLDERS, null);
        String unusable = naming.problem();
        if (unusable != null) {
            fail(Reason.DESTINATION, unusable, null);
            return;
        }
        Optional<StoredFile> held = node.store().get(id).filter(s -> !s.stale());
        if (held.isPresent()) {
            guarded(() -> {
                naming.name(List.of());
                copyLocally(held.get());
            });
            return;
        }
        lookUp();
    }

    /** This node holds the content complete: copy it out of the store, verified, no network. */
    private void copyLocally(StoredFile held) {
        emit(GetPhase.VERIFYING, null);
        CompletableFuture.runAsync(() -> {
            try {
                LocalCopy.copy(node.store(), held, naming.destination(), options.overwrite());
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, r -> {
            Thread t = new Thread(r, "kadshare-local-copy-" + id.toHex().substring(0, 8));
            t.setDaemon(true);
            t.start();
        }).whenComplete((ok, error) -> node.executor().execute(() -> guarded(() -> {
            if (error == null) {
                finish(GetPhase.DONE);
                result.complete(held);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof org.kadshare.storage.ContentChangedException) {
                LOG.info("the local copy of {} changed on disk; fetching it from the network", id);
                emit(GetPhase.FINDING_HOLDERS, null);
                lookUp();
            } else {
                Reason reason = classify(cause);
                fail(reason, reason == Reason.DISK_FULL
                        ? DiskFullReport.describe(DiskFullReport.find(cause), held.lengthBytes())
                        : "copying " + id + " out of the local store failed: " + cause.getMessage(), cause);
            }
        })));
    }

    /**
     * Looks for manifests and holders. Holders go to the download as they are found; the end of
     * the lookup decides what happens when none was.
     */
    private void lookUp() {
        if (result.isDone()) {
            return;
        }
        int round = ++lookups;
        // Queued on the DHT's loop ahead of the lookups, so it counts the contacts before they ask any.
        CompletableFuture<Integer> live = node.dht().status().thenApply(DhtStatus::liveContacts)
                .exceptionally(e -> 0);
        CompletableFuture<List<Manifest>> manifests = node.dht()
                .findManifests(id, m -> node.executor().execute(() -> guarded(() -> naming.manifestFound(m))))
                .exceptionally(e -> {
                    LOG.debug("manifest lookup of {} failed: {}", id, e.toString());
                    return List.of();
                });
        naming.lookupStarted(manifests);
        CompletableFuture<Optional<LookupTrace>> holders = node.dht()
                .lookupHolders(id, h -> node.executor().execute(() -> guarded(() -> holderFound(h))),
                        (h, relay) -> node.executor().execute(() -> guarded(() -> relayedFound(h, relay))))
                .thenApply(found -> Optional.of(found.trace()))
                .exceptionally(e -> {
                    LOG.debug("holder lookup of {} failed: {}", id, e.toString());
                    return Optional.empty();
                });
        for (InetSocketAddress known : knownHolders) {
            node.executor().execute(() -> guarded(() -> holderFound(known)));
        }
        // The consumers ran before the futures completed, so their tasks are queued ahead of this one.
        manifests.thenAcceptBoth(holders.thenCombine(live, HolderLookup::new),
                (m, h) -> node.executor().execute(() -> guarded(() -> lookupEnded(round, h))));
    }

    /** How one holder lookup went (empty when it failed), and the live DHT contacts before it. */
    private record HolderLookup(Optional<LookupTrace> trace, int liveBefore) {
        /** Contacts were asked and none answered, or there was nobody to ask. */
        boolean unanswered() {
            return trace.isPresent() && trace.get().responded() == 0;
        }
    }

    /**
     * On the node executor: a holder that cannot be reached, which {@code relay} (null: this node)
     * relays to. Tried like any holder, through a reverse connection, unless this node cannot be
     * reached either.
     */
    private void relayedFound(InetSocketAddress holder, InetSocketAddress relay) {
        if (result.isDone()) {
            return;
        }
        if (node.unreachable()) {
            if (unreachableHolders.size() < MAX_UNREACHABLE_HOLDERS) {
                unreachableHolders.add(holder);
            }
            return;
        }
        node.relayedHolders().relayed(this, id, holder, relay);
        holderFound(holder);
    }

    /**
     * On the node executor: a holder the DHT returned. The first one starts the download at once,
     * with or without a manifest (the length is proven by the holders against the ID); later ones
     * join it.
     */
    private void holderFound(InetSocketAddress holder) {
        if (result.isDone() || holder.equals(node.transferAddress())) {
            return;
        }
        if (download != null) {
            download.addHolder(holder);
            return;
        }
        DownloadOptions d = DownloadOptions.defaults(node.nodeId());
        DownloadOptions run = new DownloadOptions(d.localNodeId(), d.maxConnections(), d.schedule(), d.tickMillis(),
                d.connectTimeoutMillis(), d.stalledPeerTimeoutMillis(), d.busyBackoffMillis(),
                d.maxPendingWriteBytes(), d.diskThreads(), options.overwrite(), this::onProgress,
                node.transportSecurity());
        if (timedOut || cancelled) {
            return;
        }
        emit(GetPhase.CONNECTING, null);
        Download.Destination named = new Download.Destination() {
            @Override
            public Path path() throws IOException {
                DownloadProgress p = progress;
                return naming.nameAtTheEnd(p == null ? -1 : p.totalBytes());
            }

            @Override
            public CompletionStage<Void> whenNameable() {
                return naming.lookupOver();
            }
        };
        Download started = Download.startFinding(id, List.of(holder), node.store(), named,
                run.withReverseLinks(node.relayedHolders()), node.downloadDisk());
        download = started;
        downloadRound = lookups;
        started.result().whenComplete((stored, error) ->
                node.executor().execute(() -> guarded(() -> downloaded(stored, error))));
    }

    /**
     * On the node executor: lookup {@code round} is over. A running download learns that no more
     * holders come from it; with no holder found, the get looks again while a manifest or a
     * partial download says the content exists, or while no DHT contact answered at all
     * ({@link #unanswered}), and fails as not found otherwise.
     */
    private void lookupEnded(int round, HolderLookup holders) throws IOException {
        if (result.isDone() || round != lookups) {
            return;
        }
        if (liveAtStart < 0) {
            liveAtStart = holders.liveBefore();
        }
        if (download != null) {
            if (downloadRound == round) {
                download.noMoreHolders();
            }
            return;
        }
        if (!unreachableHolders.isEmpty()) {
            int n = unreachableHolders.size();
            fail(Reason.NETWORK, BOTH_UNREACHABLE + " (" + n + " holder" + (n == 1 ? "" : "s") + " of " + id
                    + " found)", null);
            return;
        }
        boolean partial = node.store().partialDownloads().contains(id);
        if (naming.found().isEmpty() && !partial && !manifestHeldHere()) {
            if (holders.unanswered()) {
                unanswered(holders.trace().get());
            } else {
                fail(Reason.NOT_FOUND, "no manifest and no holder of " + id + " found in the DHT", null);
            }
            return;
        }
        if (lookAgainLater()) {
            return;
        }
        String looked = " (" + lookups + (lookups == 1 ? " lookup" : " lookups over " + waitedMillis + " ms") + ")";
        fail(Reason.NOT_FOUND, (partial ? "part of " + id + " is here, but" : "a manifest of " + id + " exists, but")
                + " no other node holds it" + looked, null);
    }

    /**
     * No DHT contact answered the lookup: that says nothing about the content (an overloaded host
     * or a slow path whose answers all came too late; a node that went offline). The get looks
     * again, pauses doubling from one second, while the lookups and pauses so far stay within the
     * holder wait; then, or at once when the node had no live contact when the get began (nothing
     * to wait for: not joined, or offline for a while), it fails saying that nobody answered. The
     * cost: a node that went offline a moment ago says so after about two lookups' query timeouts
     * (about 11 s by default) instead of "not found" after one.
     */
    private void unanswered(LookupTrace trace) {
        unansweredMillis += trace.durationMillis();
        long pause = FIRST_LOOK_AGAIN_MILLIS << Math.min(lookups - 1, 20);
        if (liveAtStart > 0 && unansweredMillis + pause <= options.holderWaitMillis()) {
            unansweredMillis += pause;
            LOG.debug("no DHT contact answered the lookup of {}; looking again in {} ms", id, pause);
            lookAgain = node.executor().schedule(() -> guarded(this::lookUp), pause, TimeUnit.MILLISECONDS);
            return;
        }
        String why = liveAtStart > 0 ? lookups + (lookups == 1 ? " lookup" : " lookups") + " over "
                + unansweredMillis + " ms"
                : trace.queried() == 0 ? "this node has no DHT contacts" : "this node had no live DHT contact";
        fail(Reason.NETWORK, "no DHT contact answered the lookup of " + id + " (" + why
                + "), so whether it exists is not known: this node may be offline, or its host or network too slow",
                null);
    }

    private boolean manifestHeldHere() {
        try {
            return !node.manifests().load(id).isEmpty();
        } catch (IOException | ManifestException e) {
            LOG.warn("cannot read the manifests of {} held here: {}", id, e.getMessage());
            return false;
        }
    }

    /**
     * The DHT knows the content (a manifest, or our own partial download) but showed no holder:
     * one may still be on its way (a put elsewhere stores both in parallel; a restarted holder
     * announces again after it joins). Schedules another lookup, pauses doubling from one second,
     * as long as the holder wait allows; false when it is spent.
     */
    private boolean lookAgainLater() {
        long left = options.holderWaitMillis() - waitedMillis;
        if (left <= 0) {
            return false;
        }
        long pause = Math.min(left, FIRST_LOOK_AGAIN_MILLIS << Math.min(lookups - 1, 20));
        waitedMillis += pause;
        LOG.debug("the DHT knows {} but shows no holder; looking again in {} ms", id, pause);
        if (!result.isDone()) {
            lookAgain = node.executor().schedule(() -> guarded(this::lookUp), pause, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /** On the download's thread. */
    private void onProgress(DownloadProgress p) {
        progress = p;
        if (result.isDone()) {
            return;
        }
        GetPhase now = p.totalBytes() > 0 && p.bytesDone() >= p.totalBytes() ? GetPhase.VERIFYING
                : p.peersConnected() > 0 || p.bytesDone() > 0 ? GetPhase.DOWNLOADING : GetPhase.CONNECTING;
        emit(now, p);
        if (p.bytesDone() > 0 && p.bytesDone() < p.totalBytes() && swarmUpdatePending.compareAndSet(false, true)) {
            node.executor().execute(() -> {
                try {
                    swarm();
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot serve the verified part of {} yet: {}", id, e.toString());
                }
            });
        }
    }

    /** Offers the verified part to the block server and announces it; later, tells peers what is new. */
    private void swarm() throws IOException {
        swarmUpdatePending.set(false);
        Download d = download;
        if (result.isDone() || d == null || d.progress().bytesDone() >= d.progress().totalBytes()) {
            return;
        }
        if (offered == null) {
            Optional<PartialDownload> partial = node.store().resumeDownload(id);
            if (partial.isEmpty()) {
                return;
            }
            offered = partial.get();
            announcedHeld = offered.heldBitfield();
            node.server().offer(offered);
            node.announce(id);
            LOG.debug("serving the verified part of {} while downloading it", id);
            return;
        }
        byte[] held = offered.heldBitfield();
        long leaves = offered.leafCount();
        long runStart = -1;
        for (long leaf = 0; leaf <= leaves; leaf++) {
            boolean gained = leaf < leaves && bit(held, leaf) && !bit(announcedHeld, leaf);
            if (gained && runStart < 0) {
                runStart = leaf;
            } else if (!gained && runStart >= 0) {
                node.server().announceHave(id, runStart, leaf - runStart);
                runStart = -1;
            }
        }
        announcedHeld = held;
    }

    private static boolean bit(byte[] packed, long leaf) {
        return (packed[(int) (leaf >>> 3)] & (0x80 >>> (int) (leaf & 7))) != 0;
    }

    private void downloaded(StoredFile stored, Throwable error) {
        if (offered != null) {
            node.server().withdraw(id);
        }
        if (error == null) {
            ManifestRanking ranking = ManifestRanking.rank(naming.found(), stored.lengthBytes());
            if (!ranking.discarded().isEmpty()) {
                LOG.warn("discarded {} manifests of {} from {} publishers: they contradict the length {} the holders"
                        + " proved", ranking.discarded().size(), id, ranking.distrustedPublishers(),
                        stored.lengthBytes());
            }
            for (Manifest m : ranking.kept()) {
                try {
                    node.manifests().save(m);
                } catch (IOException | IllegalArgumentException e) {
                    LOG.warn("could not keep the manifest {} of {}: {}", m.name(), id, e.getMessage());
                }
            }
            node.announce(id);
            finish(GetPhase.DONE);
            result.complete(stored);
            return;
        }
        offered = null;
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        boolean byTimeout = timedOut;
        boolean stopped = timedOut || cancelled;
        download = null;
        if (!stopped && classify(cause) == Reason.VERIFICATION && refetches < MAX_REFETCHES) {
            // Every span was verified when it arrived, so the bytes changed on this disk since:
            // the check marked the damaged leaves missing again and kept the rest; fetch those.
            refetches++;
            Throwable root = cause;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            LOG.warn("the whole-file check failed: {}; fetching them again", root.getMessage());
            emit(GetPhase.FINDING_HOLDERS, progress);
            lookUp();
            return;
        }
        if (cause instanceof CancellationException) {
            if (byTimeout) {
                fail(Reason.TIMEOUT, "no result for " + id + " within " + options.timeoutMillis()
                        + " ms; the verified part is kept for a resume", cause);
            } else {
                fail(Reason.CANCELLED, "the download of " + id + " was cancelled; the verified part is kept", cause);
            }
            return;
        }
        Reason reason = classify(cause);
        DownloadProgress last = progress;
        fail(reason, reason == Reason.DISK_FULL ? DiskFullReport.describe(DiskFullReport.find(cause),
                last == null ? -1 : last.totalBytes()) : cause.getMessage(), cause);
    }

    private static Reason classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ContentMismatchException) {
                return Reason.VERIFICATION;
            }
            if (t instanceof StorageFullException) {
                return Reason.DISK_FULL;
            }
            if (t instanceof FileAlreadyExistsException
                    || t instanceof AccessDeniedException
                    || (t instanceof FileSystemException && !(t instanceof DownloadFailedException))) {
                return Reason.DESTINATION;
            }
        }
        return Reason.NETWORK;
    }

    /** On the executor: cancels, as asked or by the timeout; the download saves its verified part. */
    private void stop(boolean byTimeout) {
        if (result.isDone() || timedOut || cancelled) {
            return;
        }
        if (byTimeout) {
            timedOut = true;
        } else {
            cancelled = true;
        }
        if (download != null) {
            download.cancel();
        } else if (byTimeout) {
            fail(Reason.TIMEOUT, "no holder of " + id + " found within " + options.timeoutMillis() + " ms", null);
        } else {
            fail(Reason.CANCELLED, "the get of " + id + " was cancelled before it started downloading", null);
        }
    }

    private void fail(Reason reason, String message, Throwable cause) {
        if (result.isDone()) {
            return;
        }
        finish(GetPhase.FAILED);
        result.completeExceptionally(new GetFailedException(reason, message, cause));
    }

    private void finish(GetPhase last) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        node.relayedHolders().forget(this, id);
        if (lookAgain != null) {
            lookAgain.cancel(false);
        }
        emit(last, progress);
    }

    private void emit(GetPhase p, DownloadProgress snapshot) {
        phase = p;
        Consumer<GetEvent> listener = options.listener();
        if (listener == null) {
            return;
        }
        try {
            listener.accept(new GetEvent(p, snapshot));
        } catch (RuntimeException e) {
            LOG.warn("get listener for {} threw", id, e);
        }
    }

    private void guarded(IoTask task) {
        try {
            task.run();
        } catch (IOException | RuntimeException e) {
            LOG.warn("get of {} failed: {}", id, e.toString());
            if (download != null) {
                download.cancel();
            }
            if (e instanceof GetFailedException g) {
                fail(g.reason(), g.getMessage(), g);
                return;
            }
            fail(e instanceof ManifestException ? Reason.VERIFICATION : Reason.NETWORK,
                    "get of " + id + " failed: " + e.getMessage(), e);
        }
    }

    private interface IoTask {
        void run() throws IOException;
    }
}
