package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestChoice;
import org.kadshare.storage.ManifestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one get names its file: the manifests its lookups found (metadata only, never the source of
 * the length), the wait for the latest manifest lookup before a download whose bytes are all in
 * is named, and the name chosen once from those and the manifests kept here.
 *
 * <p>The manifests found are replaced, never changed, on the node's executor and read anywhere;
 * the name is chosen once, on the executor for a local copy or on the download's disk thread at
 * the end.
 */
final class GetNaming {
    private static final Logger LOG = LoggerFactory.getLogger(GetNaming.class);
    /** Manifests kept from the lookups at most. */
    static final int MAX_MANIFESTS = 64;
    /**
     * How long a download whose every byte is in waits at most for the manifest lookup still
     * running, so that the file is named (or known as a collection) from what it finds.
     */
    static final long MANIFEST_WAIT_MILLIS = 5_000;

    private final ContentId id;
    private final DestinationNamer namer;
    private final ScheduledExecutorService executor;
    private final LocalManifests kept;
    private final byte[] ownKey;
    private volatile List<Manifest> found = List.of();
    /** The latest round's manifest lookup, set on the executor; null before the first. */
    private volatile CompletableFuture<List<Manifest>> lookup;
    private volatile Path destination;

    /**
     * Names the file of {@code id} through {@code namer}, choosing among the manifests found and
     * those {@code kept} here (the node's own, by {@code ownKey}, first); waits run on the node's
     * {@code executor}.
     */
    GetNaming(ContentId id, DestinationNamer namer, ScheduledExecutorService executor, LocalManifests kept,
            byte[] ownKey) {
        this.id = id;
        this.namer = namer;
        this.executor = executor;
        this.kept = kept;
        this.ownKey = ownKey.clone();
    }

    /** Why the destination cannot be used, or null. */
    String problem() {
        return namer.problem();
    }

    /** The destination once named, else null. */
    Path destination() {
        return destination;
    }

    /** The verified manifests found so far. */
    List<Manifest> found() {
        return found;
    }

    /** On the node executor: a manifest the DHT returned (verified); at most {@link #MAX_MANIFESTS}. */
    void manifestFound(Manifest m) {
        List<Manifest> now = found;
        if (!now.contains(m) && now.size() < MAX_MANIFESTS) {
            List<Manifest> more = new ArrayList<>(now);
            more.add(m);
            found = List.copyOf(more);
        }
    }

    /** On the node executor: a round's manifest lookup began; the name waits for the latest. */
    void lookupStarted(CompletableFuture<List<Manifest>> manifests) {
        lookup = manifests;
    }

    /**
     * Completes on the executor once the latest manifest lookup is over (after the manifests it
     * found were kept), or after {@link #MANIFEST_WAIT_MILLIS}: a small file can be in before
     * the lookup that names it is, when its holders were known at once.
     */
    CompletionStage<Void> lookupOver() {
        CompletableFuture<List<Manifest>> latest = lookup;
        CompletableFuture<Void> over = new CompletableFuture<>();
        if (latest == null || latest.isDone()) {
            over.complete(null);
            return over;
        }
        try {
            // queued behind the manifests the lookup passed on, which its consumer queued first
            latest.whenComplete((m, e) -> onExecutor(() -> over.complete(null), over));
            ScheduledFuture<?> bound = executor.schedule(() -> {
                if (over.complete(null)) {
                    LOG.info("naming {} without the manifest lookup still running after {} ms", id,
                            MANIFEST_WAIT_MILLIS);
                }
            }, MANIFEST_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            over.whenComplete((v, e) -> bound.cancel(false));
        } catch (RejectedExecutionException e) {
            over.complete(null); // the node is closing: name it from what is in
        }
        return over;
    }

    private void onExecutor(Runnable task, CompletableFuture<Void> orElse) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            orElse.complete(null);
        }
    }

    /**
     * On a disk thread of the download, once every byte is in: the name is chosen from every
     * manifest found by then that agrees with the proven length {@code totalBytes} (negative:
     * not known), since manifests arrive while the download runs.
     */
    Path nameAtTheEnd(long totalBytes) throws IOException {
        List<Manifest> manifests = found;
        if (totalBytes >= 0) {
            // a manifest that contradicts the proven length (and its publisher's others) names nothing
            manifests = ManifestRanking.rank(manifests, totalBytes).kept();
        }
        name(manifests);
        return destination;
    }

    /**
     * Names the destination from {@code foundManifests} and the manifests kept here, once: for a
     * local copy on the executor before anything else, else through {@link #nameAtTheEnd}.
     */
    void name(List<Manifest> foundManifests) throws IOException {
        if (destination != null) {
            return;
        }
        List<Manifest> all = new ArrayList<>(foundManifests);
        try {
            all.addAll(kept.load(id));
        } catch (ManifestException e) {
            LOG.warn("not naming {} after a damaged local manifest: {}", id, e.getMessage());
        }
        destination = namer.name(ManifestChoice.choose(all, ownKey)).toAbsolutePath();
    }
}
