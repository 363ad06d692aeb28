package org.kadshare.overlay.node;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.dht.SampledKeys;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestChoice;

/**
 * Turns the keys a crawl sampled and the manifests found under them into the files a browse
 * lists: under each key, the manifests are grouped by the content ID they name (a key is only the
 * first 20 bytes of one), and each content is labelled by {@link ManifestChoice}, as a get would
 * name it. Keys in the crawl's order (most reported first); within a key, contents by ID. A key
 * without any manifest counts as unnamed. Pure.
 */
final class BrowseListing {
    private BrowseListing() {
    }

    /** The files of {@code keys}, the manifests of each taken from {@code found}; {@code ownKey} may be null. */
    static BrowseResult of(SampledKeys sampled, List<SampledKeys.Key> keys, Map<NodeId, List<Manifest>> found,
            byte[] ownKey) {
        List<BrowseResult.File> files = new ArrayList<>();
        int unnamed = 0;
        for (SampledKeys.Key k : keys) {
            List<Manifest> manifests = found.getOrDefault(k.key(), List.of());
            if (manifests.isEmpty()) {
                unnamed++;
                continue;
            }
            TreeMap<ContentId, List<Manifest>> byContent = new TreeMap<>();
            for (Manifest m : manifests) {
                byContent.computeIfAbsent(m.id(), id -> new ArrayList<>()).add(m);
            }
            byContent.forEach((id, group) -> {
                Manifest chosen = ManifestChoice.choose(group, ownKey).orElseThrow();
                Set<ByteBuffer> publishers = new HashSet<>();
                group.forEach(m -> publishers.add(ByteBuffer.wrap(m.publisherKey())));
                files.add(new BrowseResult.File(id, chosen.name(), chosen.mediaType(), chosen.lengthBytes(),
                        k.reports(), publishers.size()));
            });
        }
        return new BrowseResult(files, sampled.keys().size(), unnamed, sampled.queries(), sampled.answered(),
                sampled.nodesSeen());
    }
}
