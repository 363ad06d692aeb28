package org.kadshare.overlay.transfer.server;

import java.io.IOException;
import java.util.NoSuchElementException;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.overlay.transfer.wire.SpanFromFile;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentChangedException;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.ServableSpan;
import org.kadshare.storage.StoredFile;
import org.kadshare.storage.VerifiedSpan;

/**
 * A complete file of the {@link BlockStore}. Spans come from {@code serveSpan}: sent from the file
 * when the store trusts every leaf of them, else read and verified leaf by leaf; leaf hashes from
 * {@link BlockStore#tree}, the verified tree of the store's leaf layer.
 */
final class StoredContent implements HeldContent {
    private final BlockStore store;
    private final StoredFile file;

    StoredContent(BlockStore store, StoredFile file) {
        this.store = store;
        this.file = file;
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
        MerkleTree tree = store.tree(file.id()).orElseThrow(() -> new NotHeldException("no longer held: " + file.id()));
        long first = index << height;
        int count = (int) Math.min(1L << height, tree.leafCount() - first);
        return new Hashes(requestId, tree.proof(height, index), tree.leafHashes(first, count));
    }

    @Override
    public Span span(int requestId, int height, long index) throws IOException {
        try {
            VerifiedSpan span = store.readSpan(file.id(), height, index);
            return Span.adopting(requestId, span.proof(), span.data());
        } catch (NoSuchElementException e) {
            throw new NotHeldException(e.getMessage());
        }
    }

    @Override
    public Object spanReply(int requestId, int height, long index) throws IOException {
        try {
            ServableSpan span = store.serveSpan(file.id(), height, index);
            if (span instanceof ServableSpan.InFile f) {
                return new SpanFromFile(requestId, f.proof(), f.file());
            }
            VerifiedSpan checked = ((ServableSpan.Checked) span).span();
            return Span.adopting(requestId, checked.proof(), checked.data());
        } catch (NoSuchElementException e) {
            throw new NotHeldException(e.getMessage());
        }
    }

    @Override
    public void reportedBad() {
        store.distrust(file.id());
    }

    private void checkFresh() throws IOException {
        StoredFile now = store.get(file.id()).orElseThrow(() -> new NotHeldException("no longer held: " + file.id()));
        if (now.stale()) {
            throw new ContentChangedException(file.id(), now.dataPath(), "it was found changed");
        }
    }
}
