package org.kadshare.overlay.transfer.server;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;

/** The most recently used trees of complete files, bounded by their total leaf count. */
final class TreeCache {
    /** Loads the tree of one content. */
    interface Loader {
        MerkleTree load(ContentId id) throws IOException;
    }

    private final long maxLeaves;
    private final LinkedHashMap<ContentId, MerkleTree> trees = new LinkedHashMap<>(16, 0.75f, true);
    private long leaves;

    TreeCache(long maxLeaves) {
        this.maxLeaves = maxLeaves;
    }

    MerkleTree get(ContentId id, Loader loader) throws IOException {
        synchronized (this) {
            MerkleTree tree = trees.get(id);
            if (tree != null) {
                return tree;
            }
        }
        MerkleTree loaded = loader.load(id);
        synchronized (this) {
            if (trees.put(id, loaded) == null) {
                leaves += loaded.leafCount();
            }
            var it = trees.entrySet().iterator();
            while (leaves > maxLeaves && trees.size() > 1 && it.hasNext()) {
                Map.Entry<ContentId, MerkleTree> eldest = it.next();
                if (eldest.getKey().equals(id)) {
                    continue;
                }
                leaves -= eldest.getValue().leafCount();
                it.remove();
            }
        }
        return loaded;
    }
}
