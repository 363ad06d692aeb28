package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestException;
import org.kadshare.storage.NodeIdentity;
import org.kadshare.storage.StoredFile;

/**
 * {@code node refresh}: re-scans every shared file and brings the share list back in line with
 * the disk.
 *
 * <p>Design note. The scan is the store's cheap snapshot check ({@link BlockStore#checkAll}: size,
 * last-modified time and file key, no reading), so a refresh of thousands of unchanged files costs
 * one {@code stat} each. Only a stale file is read: if its source (the referenced file, or the
 * original a copy was made from) is still a regular file it is hashed again and shared under the
 * new ID with a manifest carrying the old name and media type, signed now by this node; the old
 * ID is withdrawn and forgotten. If the source is gone, the file is withdrawn and forgotten (a
 * moved file cannot be told from a deleted one: put it again at its new place). A file that
 * cannot be hashed (unreadable, changing while read) stays stale and is reported.
 */
final class ShareRefresh {
    /** What a refresh does on the network. */
    interface Network {
        /** Announces the manifest's content and publishes the manifest. */
        void publish(Manifest manifest);

        /** Stops announcing {@code id} and republishing its manifests. */
        void withdraw(ContentId id);
    }

    private final BlockStore store;
    private final LocalManifests manifests;
    private final NodeIdentity identity;
    private final Network network;
    private final Clock clock;

    ShareRefresh(BlockStore store, LocalManifests manifests, NodeIdentity identity, Network network, Clock clock) {
        this.store = store;
        this.manifests = manifests;
        this.identity = identity;
        this.network = network;
        this.clock = clock;
    }

    RefreshReport run() throws IOException {
        store.checkAll();
        List<RefreshReport.Rehashed> rehashed = new ArrayList<>();
        List<RefreshReport.Withdrawn> withdrawn = new ArrayList<>();
        List<RefreshReport.Failed> failed = new ArrayList<>();
        int unchanged = 0;
        for (StoredFile f : store.list()) {
            if (!f.stale()) {
                unchanged++;
                continue;
            }
            SharedFile named = SharedFile.named(f, manifests, identity.publicKey());
            Path source = f.mode() == AddMode.REFERENCE ? f.dataPath() : f.origin();
            if (!Files.isRegularFile(source)) {
                forget(f.id());
                withdrawn.add(new RefreshReport.Withdrawn(f.id(), named.name(), source));
                continue;
            }
            StoredFile fresh;
            Manifest manifest;
            try {
                fresh = store.add(source, f.mode());
                manifest = Manifest.sign(fresh.id(), fresh.lengthBytes(), named.name(), named.mediaType(),
                        clock.instant().getEpochSecond(), identity);
                manifests.save(manifest);
                manifests.saveTags(fresh.id(), manifests.tags(f.id()));
            } catch (IOException | ManifestException e) {
                failed.add(new RefreshReport.Failed(f.id(), named.name(), source, e.getMessage()));
                continue;
            }
            if (!fresh.id().equals(f.id())) {
                forget(f.id());
            }
            network.publish(manifest);
            rehashed.add(new RefreshReport.Rehashed(f.id(), fresh.id(), named.name(), source, fresh.lengthBytes()));
        }
        return new RefreshReport(rehashed, withdrawn, failed, unchanged);
    }

    private void forget(ContentId id) throws IOException {
        network.withdraw(id);
        store.remove(id);
        manifests.remove(id);
    }
}
