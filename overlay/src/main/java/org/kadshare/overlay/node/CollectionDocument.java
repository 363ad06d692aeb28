package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.kadshare.overlay.node.GetFailedException.Reason;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.Collection;
import org.kadshare.storage.CollectionCodec;
import org.kadshare.storage.CollectionEntry;
import org.kadshare.storage.ManifestException;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.StoredFile;

/**
 * Reads a collection document out of the store (every leaf re-checked against its ID on the way)
 * and decodes it, refusing one too large, malformed, or listing itself.
 */
final class CollectionDocument {
    private static final int SPAN_HEIGHT = 6;

    private CollectionDocument() {
    }

    static Collection read(BlockStore store, StoredFile doc) throws IOException {
        if (doc.lengthBytes() > CollectionCodec.MAX_ENCODED_BYTES) {
            throw new GetFailedException(Reason.VERIFICATION, "the collection document " + doc.id() + " is "
                    + doc.lengthBytes() + " bytes, more than the limit of " + CollectionCodec.MAX_ENCODED_BYTES, null);
        }
        int height = Math.min(SPAN_HEIGHT, MerkleTree.treeHeight(doc.lengthBytes()));
        long spans = (MerkleTree.leafCount(doc.lengthBytes()) + (1L << height) - 1) >>> height;
        ByteBuffer all = ByteBuffer.allocate((int) doc.lengthBytes());
        for (long j = 0; j < spans; j++) {
            all.put(store.readSpan(doc.id(), height, j).data());
        }
        Collection c;
        try {
            c = CollectionCodec.decode(all.array());
        } catch (ManifestException e) {
            throw new GetFailedException(Reason.VERIFICATION, "the manifest of " + doc.id()
                    + " says it is a collection, but its content is not a valid collection document: "
                    + e.getMessage(), e);
        }
        for (CollectionEntry e : c.files()) {
            if (e.id().equals(doc.id())) {
                throw new GetFailedException(Reason.VERIFICATION, "the collection " + doc.id()
                        + " lists itself (as " + e.path() + "); refused", null);
            }
        }
        return c;
    }
}
