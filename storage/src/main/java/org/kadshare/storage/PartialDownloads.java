package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partial downloads of a {@link BlockStore}: one directory each under the store's
 * {@code partial/} (named by content ID), and the ones open now, at most one
 * {@link PartialDownload} per content. Starting a download checks the leaf layer offered against
 * the ID; starting or resuming one that is open returns the open one. Not thread-safe: the store
 * calls it under its monitor.
 */
final class PartialDownloads {
    /** The store's log. */
    private static final Logger LOG = LoggerFactory.getLogger(BlockStore.class);

    private final BlockStore store;
    private final Path partialDir;
    private final Map<ContentId, PartialDownload> open = new HashMap<>();

    PartialDownloads(BlockStore store, Path partialDir) {
        this.store = store;
        this.partialDir = partialDir;
    }

    /** See {@link BlockStore#startDownload}. */
    PartialDownload start(ContentId id, long lengthBytes, byte[] leafHashes)
            throws IOException, LeafLayerRejectedException {
        MerkleTree tree;
        try {
            tree = MerkleTree.fromLeafHashes(lengthBytes, leafHashes);
        } catch (IllegalArgumentException e) {
            throw new LeafLayerRejectedException("leaf layer offered for " + id + " is malformed: " + e.getMessage());
        }
        if (!tree.contentId().equals(id)) {
            throw new LeafLayerRejectedException("leaf layer offered for " + id + " (" + lengthBytes
                    + " bytes) hashes to " + tree.contentId());
        }
        PartialDownload running = open.get(id);
        if (running != null) {
            return running;
        }
        PartialDownload partial = PartialDownload.open(store, partialDir.resolve(id.toHex()), tree);
        open.put(id, partial);
        return partial;
    }

    /** See {@link BlockStore#resumeDownload}. */
    Optional<PartialDownload> resume(ContentId id) throws IOException {
        PartialDownload running = open.get(id);
        if (running != null) {
            return Optional.of(running);
        }
        Path partialPath = partialDir.resolve(id.toHex());
        Optional<MerkleTree> tree = PartialDownload.loadTree(partialPath, id);
        if (tree.isEmpty()) {
            return Optional.empty();
        }
        PartialDownload partial = PartialDownload.open(store, partialPath, tree.get());
        open.put(id, partial);
        return Optional.of(partial);
    }

    /** See {@link BlockStore#partialDownloads}: reads only the directory, so it needs no lock. */
    List<ContentId> onDisk() throws IOException {
        List<ContentId> ids = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(partialDir)) {
            for (Path d : dirs) {
                try {
                    ids.add(ContentId.parse(d.getFileName().toString()));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Ignoring {}: not a partial download directory", d);
                }
            }
        }
        ids.sort(null);
        return ids;
    }

    /** Forgets the open download of {@code id} (it completed, was cancelled or failed). */
    void forget(ContentId id) {
        open.remove(id);
    }

    /** The downloads open now. */
    List<PartialDownload> open() {
        return List.copyOf(open.values());
    }
}
