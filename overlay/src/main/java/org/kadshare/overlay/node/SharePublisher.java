package org.kadshare.overlay.node;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestException;
import org.kadshare.storage.NodeIdentity;
import org.kadshare.storage.StoredFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link Node} puts into the DHT for what it shares: holder records (at the TCP port the
 * reachability monitor announces), its manifests, and their keyword records. Besides the single
 * calls, the sweeps: every complete file and kept manifest after a join and every re-announce
 * period ({@link #announceAll}), a folder's files one by one after its collection, and every
 * manifest's keywords after a join, paced ({@link PacedAnnouncer}). A background DHT operation
 * that fails while the node closes is expected and logged at debug only.
 */
final class SharePublisher {
    /** The node's log: what a user reads about announcing names the node. */
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    private final NodeId nodeId;
    private final Dht dht;
    private final BlockStore store;
    private final LocalManifests manifests;
    private final IntSupplier announcedTcpPort;
    private final BooleanSupplier closed;
    private final PacedAnnouncer announcer;
    private final KeywordPublisher keywords;
    private final PacedAnnouncer keywordSweep;

    /** Publishes for node {@code nodeId}, whose sweeps run on {@code executor}. */
    SharePublisher(NodeId nodeId, NodeIdentity identity, Dht dht, BlockStore store, LocalManifests manifests,
                   ScheduledExecutorService executor, IntSupplier announcedTcpPort, BooleanSupplier closed) {
        this.nodeId = nodeId;
        this.dht = dht;
        this.store = store;
        this.manifests = manifests;
        this.announcedTcpPort = announcedTcpPort;
        this.closed = closed;
        this.announcer = new PacedAnnouncer(executor, this::republish);
        this.keywords = new KeywordPublisher(dht, identity);
        this.keywordSweep = new PacedAnnouncer(executor, this::publishKeywords);
    }

    /** A shared file found changed on disk: no longer announced, its manifests no longer republished. */
    void withdrawStale(ContentId id) {
        dht.withdraw(id).exceptionally(e -> {
            warnUnlessClosed("withdrawing the changed file {} failed: {}", id, e);
            return false;
        });
    }

    /** Announces {@code id} and publishes every manifest kept for it; completes with the holder count. */
    private CompletableFuture<Integer> republish(ContentId id) {
        try {
            List<String> tags = tagsOf(id);
            for (Manifest m : manifests.load(id)) {
                dht.putManifest(m).exceptionally(e -> 0);
                keywords.publish(m, tags);
            }
        } catch (IOException | ManifestException e) {
            LOG.warn("not publishing the manifests of {}: {}", id, e.getMessage());
        }
        return announce(id);
    }

    /** Announces the content of {@code manifest} and publishes the manifest; completes with the holder count. */
    CompletableFuture<Integer> publish(Manifest manifest) {
        CompletableFuture<Integer> published = dht.putManifest(manifest).exceptionally(e -> {
            warnUnlessClosed("publishing the manifest of {} failed: {}", manifest.id(), e);
            return 0;
        });
        keywords.publish(manifest, tagsOf(manifest.id()));
        return announce(manifest.id()).thenCombine(published, (holders, m) -> holders);
    }

    /** Announces and republishes {@code ids} one by one, paced ({@link PacedAnnouncer}). */
    void republishPaced(List<ContentId> ids) {
        announcer.announceAll(ids);
    }

    CompletableFuture<Integer> announce(ContentId id) {
        return dht.announce(id, announcedTcpPort.getAsInt()).exceptionally(e -> {
            warnUnlessClosed("announcing {} failed: {}", id, e);
            return 0;
        });
    }

    /** A background DHT operation cut short by {@link Node#close} is expected: logged at debug only. */
    private void warnUnlessClosed(String format, ContentId id, Throwable failure) {
        if (closed.getAsBoolean()) {
            LOG.debug(format, id, "the node was closing");
        } else {
            LOG.warn(format, id, failure.toString());
        }
    }

    /** Announces every complete file that is not stale, and republishes every manifest kept for one. */
    void announceAll() {
        try {
            Set<ContentId> stale = new TreeSet<>();
            for (StoredFile f : store.list()) {
                if (f.stale()) {
                    stale.add(f.id());
                } else {
                    announce(f.id());
                }
            }
            for (ContentId id : manifests.ids()) {
                if (stale.contains(id)) {
                    continue;
                }
                try {
                    for (Manifest m : manifests.load(id)) {
                        dht.putManifest(m).exceptionally(e -> 0);
                    }
                } catch (ManifestException e) {
                    LOG.warn("not republishing a damaged manifest: {}", e.getMessage());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("announcing what {} holds failed: {}", nodeId, e.toString());
        }
    }

    /**
     * Files every manifest of ours under its words again after a join, paced like a folder's
     * announcements (the DHT renews them from then on).
     */
    void publishKeywords() {
        try {
            keywordSweep.announceAll(List.copyOf(manifests.ids()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("publishing the keywords of what {} shares failed: {}", nodeId, e.toString());
        }
    }

    private CompletableFuture<Integer> publishKeywords(ContentId id) {
        try {
            List<String> tags = tagsOf(id);
            for (Manifest m : manifests.load(id)) {
                keywords.publish(m, tags);
            }
        } catch (IOException | ManifestException | RuntimeException e) {
            LOG.warn("not publishing the keywords of {}: {}", id, e.getMessage());
        }
        return CompletableFuture.completedFuture(0);
    }

    /** The user tags kept for {@code id}; none if they cannot be read (the name's words are still published). */
    private List<String> tagsOf(ContentId id) {
        try {
            return manifests.tags(id);
        } catch (IOException | ManifestException e) {
            LOG.warn("not publishing the tags of {}: {}", id, e.getMessage());
            return List.of();
        }
    }
}
