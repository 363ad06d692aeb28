package org.kadshare.overlay.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.kadshare.overlay.node.GetFailedException.Reason;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.storage.CollectionEntry;
import org.kadshare.storage.ContentHasher;
import org.kadshare.storage.ContentId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches the selected files of a collection into its tree, each by its own content ID (so each
 * has its own swarm), {@link #PARALLEL_FILES} at a time, after creating the selected empty
 * directories.
 *
 * <p>Design note. Entries with the same content ID form one lane and run one after the other:
 * the first fetches from the network, the next ones copy from the store. A file already at its
 * place with the entry's content (it hashes to the entry's ID; the store's record is not trusted,
 * as the file may have changed since) is kept, so running the same get again resumes file by
 * file; a partial file resumes through the store's partial downloads. An empty file is written
 * directly: its ID must be the ID of no bytes. Bookkeeping (directories, checks, hashing) runs on
 * one thread of its own, never on the node's thread. Gets start at most one per
 * {@link #START_INTERVAL_MILLIS}, and each also asks the collection's holders. The first failure
 * cancels the rest (their verified parts are kept) and fails the whole.
 */
final class CollectionFetch {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionFetch.class);
    /** Files fetched at once. */
    static final int PARALLEL_FILES = 4;
    /**
     * The least time between two files' gets starting: each costs a few DHT queries, and a node
     * drops what exceeds its per-source rate (20 a second by default), which in a small network is
     * one node answering them all.
     */
    static final long START_INTERVAL_MILLIS = 250;
    private static final ContentId EMPTY_ID;

    static {
        try (ContentHasher h = new ContentHasher(1)) {
            EMPTY_ID = h.hash(new byte[0]).contentId();
        }
    }

    private final Node node;
    private final Path root;
    private final List<CollectionEntry> files;
    private final List<String> emptyDirectories;
    private final GetOptions options;
    private final List<InetSocketAddress> holders;
    private final long deadlineMillis;
    private final ArrayDeque<List<CollectionEntry>> lanes = new ArrayDeque<>();
    private final Set<NodeGet> running = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesFinished = new AtomicLong();
    private final long totalBytes;
    private final CompletableFuture<Void> result = new CompletableFuture<>();
    private final ExecutorService worker;
    private int lanesActive;
    private long nextStartMillis;

    CollectionFetch(Node node, Path root, List<CollectionEntry> files, List<String> emptyDirectories,
            GetOptions options, List<InetSocketAddress> holders) {
        this.node = node;
        this.holders = List.copyOf(holders);
        this.root = root;
        this.files = files;
        this.emptyDirectories = emptyDirectories;
        this.options = options;
        this.deadlineMillis = options.timeoutMillis() > 0 ? System.currentTimeMillis() + options.timeoutMillis() : 0;
        this.totalBytes = files.stream().mapToLong(CollectionEntry::lengthBytes).sum();
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kadshare-collection-" + root.getFileName());
            t.setDaemon(true);
            return t;
        });
        Map<ContentId, List<CollectionEntry>> byId = new LinkedHashMap<>();
        for (CollectionEntry e : files) {
            byId.computeIfAbsent(e.id(), k -> new ArrayList<>()).add(e);
        }
        lanes.addAll(byId.values());
        result.whenComplete((ok, error) -> worker.shutdown());
    }

    CompletableFuture<Void> start() {
        later(() -> {
            TreePaths.root(root);
            for (String d : emptyDirectories) {
                TreePaths.directory(root, d);
            }
            for (int i = 0; i < PARALLEL_FILES; i++) {
                nextLane();
            }
        });
        return result;
    }

    /** The collection's progress: bytes of finished files plus the running downloads' bytes. */
    DownloadProgress progress() {
        long done = bytesFinished.get();
        double rate = 0;
        int peers = 0;
        for (NodeGet g : running) {
            DownloadProgress p = g.progress();
            if (p != null) {
                done += p.bytesDone();
                rate += p.bytesPerSecond();
                peers += p.peersConnected();
            }
        }
        long eta = rate > 0 ? (long) ((totalBytes - done) * 1000 / rate) : -1;
        return new DownloadProgress(totalBytes, Math.min(done, totalBytes), rate, peers, eta, 0, 0, 0, 0, List.of());
    }

    void cancel() {
        fail(new GetFailedException(Reason.CANCELLED, "the get of the collection into " + root
                + " was cancelled; what was verified is kept", null));
    }

    /** On the worker: starts the next lane, or ends the fetch when none is left. */
    private void nextLane() throws IOException {
        List<CollectionEntry> lane = lanes.poll();
        if (result.isDone()) {
            return;
        }
        if (lane == null) {
            if (lanesActive == 0) {
                result.complete(null);
            }
            return;
        }
        lanesActive++;
        run(lane, 0);
    }

    /** On the worker: the entries of {@code lane} from {@code from} on, until one needs the network. */
    private void run(List<CollectionEntry> lane, int from) throws IOException {
        for (int index = from; index < lane.size(); index++) {
            if (result.isDone()) {
                return;
            }
            CollectionEntry entry = lane.get(index);
            Path destination = TreePaths.file(root, entry.path());
            if (entry.lengthBytes() == 0) {
                writeEmpty(entry, destination);
                continue;
            }
            if (alreadyThere(entry, destination)) {
                bytesFinished.addAndGet(entry.lengthBytes());
                continue;
            }
            fetch(lane, index, entry, destination);
            return;
        }
        lanesActive--;
        later(this::nextLane);
    }

    /** On the worker: starts the entry's get now, or later if the last start was too recent. */
    private void fetch(List<CollectionEntry> lane, int index, CollectionEntry entry, Path destination) {
        long now = System.currentTimeMillis();
        long at = Math.max(now, nextStartMillis);
        nextStartMillis = at + START_INTERVAL_MILLIS;
        if (at > now) {
            node.executor().schedule(() -> later(() -> startGet(lane, index, entry, destination)), at - now,
                    TimeUnit.MILLISECONDS);
        } else {
            startGet(lane, index, entry, destination);
        }
    }

    private void startGet(List<CollectionEntry> lane, int index, CollectionEntry entry, Path destination) {
        if (result.isDone()) {
            return;
        }
        long left = deadlineMillis == 0 ? 0 : Math.max(1, deadlineMillis - System.currentTimeMillis());
        NodeGet g = node.getFile(entry.id(), DestinationNamer.fixed(destination, options.overwrite()),
                options.withTimeoutMillis(left).withListener(null), holders);
        running.add(g);
        g.result().whenComplete((stored, error) -> later(() -> {
            running.remove(g);
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                Reason reason = cause instanceof GetFailedException f ? f.reason() : Reason.NETWORK;
                fail(new GetFailedException(reason, "fetching " + entry.path() + " (" + entry.id() + ") failed: "
                        + cause.getMessage(), cause));
                return;
            }
            bytesFinished.addAndGet(entry.lengthBytes());
            run(lane, index + 1);
        }));
    }

    private void writeEmpty(CollectionEntry entry, Path destination) throws IOException {
        if (!entry.id().equals(EMPTY_ID)) {
            throw new GetFailedException(Reason.VERIFICATION, "the collection lists " + entry.path()
                    + " as empty, but its ID " + entry.id() + " is not the ID of no bytes", null);
        }
        if (Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS) && Files.size(destination) == 0) {
            return;
        }
        if (options.overwrite()) {
            Files.write(destination, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS);
        } else {
            try {
                Files.write(destination, new byte[0], StandardOpenOption.CREATE_NEW);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw exists(destination);
            }
        }
    }

    /** Whether {@code destination} holds the entry's content already; fails if it holds other bytes. */
    private boolean alreadyThere(CollectionEntry entry, Path destination) throws IOException {
        if (!Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS)
                && Files.size(destination) == entry.lengthBytes()) {
            try (ContentHasher h = new ContentHasher()) {
                if (h.hash(destination).contentId().equals(entry.id())) {
                    LOG.debug("{} is already complete", destination);
                    return true;
                }
            }
        }
        if (options.overwrite()) {
            return false;
        }
        throw exists(destination);
    }

    private static GetFailedException exists(Path destination) {
        return new GetFailedException(Reason.DESTINATION, destination
                + " exists with other content (use --force to overwrite)", null);
    }

    private void fail(GetFailedException failure) {
        if (result.completeExceptionally(failure)) {
            for (NodeGet g : List.copyOf(running)) {
                g.cancel();
            }
        }
    }

    /** Runs {@code s} on the worker; once the fetch has ended the worker is gone and nothing is left to do. */
    private void later(IoStep s) {
        try {
            worker.execute(() -> step(s));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("the collection fetch into {} has ended; dropping a late step", root);
        }
    }

    private void step(IoStep s) {
        try {
            s.run();
        } catch (GetFailedException e) {
            fail(e);
        } catch (IOException | RuntimeException e) {
            fail(new GetFailedException(e instanceof java.nio.file.AccessDeniedException ? Reason.DESTINATION
                    : Reason.NETWORK, "writing the collection into " + root + " failed: " + e, e));
        }
    }

    private interface IoStep {
        void run() throws IOException;
    }
}
