package org.kadshare.overlay.transfer.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.NoSuchElementException;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentChangedException;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.StoredFile;
import org.kadshare.storage.VerifiedSpan;
import org.kadshare.storage.internal.LeafLayerCodec;

/**
 * A complete file of the {@link BlockStore}. Spans come from {@code readSpan}, which verifies
 * every leaf. Leaf hashes come from the store's persisted leaf layer (documented disk layout),
 * rebuilt into a tree that must hash to the ID; the store does not expose its tree publicly.
 */
final class StoredContent implements HeldContent {
    private final BlockStore store;
    private final StoredFile file;
    private final TreeCache trees;

    StoredContent(BlockStore store, StoredFile file, TreeCache trees) {
        this.store = store;
        this.file = file;
        this.trees = trees;
    }

    @Override
    public long lengthBytes() {
        return file.lengthBytes();
    }

    @Override
    public Holdings holdings() {
        return Holdings.complete();
    }

    @Override
    public Hashes hashes(int requestId, int height, long index) throws IOException {
        checkFresh();
        MerkleTree tree = trees.get(file.id(), this::loadTree);
        long first = index << height;
        int count = (int) Math.min(1L << height, tree.leafCount() - first);
        return new Hashes(requestId, tree.proof(height, index), tree.leafHashes(first, count));
    }

    @Override
    public Span span(int requestId, int height, long index) throws IOException {
        try {
            VerifiedSpan span = store.readSpan(file.id(), height, index);
            return new Span(requestId, span.proof(), span.data());
        } catch (NoSuchElementException e) {
            throw new NotHeldException(e.getMessage());
        }
    }

    private void checkFresh() throws IOException {
        StoredFile now = store.get(file.id()).orElseThrow(() -> new NotHeldException("no longer held: " + file.id()));
        if (now.stale()) {
            throw new ContentChangedException(file.id(), now.dataPath(), "it was found changed");
        }
    }

    private MerkleTree loadTree(ContentId id) throws IOException {
        Path layer = store.directory().resolve("leaves").resolve(id.toHex() + ".leaves");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(layer);
        } catch (NoSuchFileException e) {
            throw new NotHeldException("no leaf layer for " + id);
        }
        LeafLayerCodec.Decoded decoded = LeafLayerCodec.decode(bytes, layer.toString());
        MerkleTree tree;
        try {
            tree = MerkleTree.fromLeafHashes(decoded.lengthBytes(), decoded.leafHashes());
        } catch (IllegalArgumentException e) {
            throw new IOException(layer + " is malformed: " + e.getMessage(), e);
        }
        if (!tree.contentId().equals(id)) {
            throw new IOException(layer + " does not hash to " + id);
        }
        return tree;
    }
}
