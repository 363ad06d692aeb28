package org.kadshare.overlay.node;

import java.util.List;
import org.kadshare.storage.ContentId;

/**
 * What {@link Node#browse} saw of the network.
 *
 * @param files       the sampled contents with a manifest, most reported first
 * @param keysSampled distinct keys the crawl sampled
 * @param unnamed     sampled keys looked up whose manifest was not found in time
 * @param queries     sample_infohashes queries sent
 * @param answered    of them answered
 * @param nodesSeen   distinct nodes the crawl heard of
 */
public record BrowseResult(List<File> files, int keysSampled, int unnamed, int queries, int answered, int nodesSeen) {
    /** Copies the list. */
    public BrowseResult {
        files = List.copyOf(files);
    }

    /**
     * One content seen on the network, described by the manifest {@code ManifestChoice} picks.
     *
     * @param lengthBytes the length its manifest states (a get checks it against the holders' proofs)
     * @param reports     how many nodes' samples held its key
     * @param publishers  how many distinct keys signed a manifest of it
     */
    public record File(ContentId id, String name, String mediaType, long lengthBytes, int reports, int publishers) {}
}
