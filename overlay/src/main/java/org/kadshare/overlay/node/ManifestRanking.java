package org.kadshare.overlay.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.kadshare.storage.Manifest;

/**
 * Which manifests of one content a getter believes, once holders have proven its length against
 * the ID. Pure.
 *
 * <p>Anyone may sign a manifest for any content ID, so a manifest is metadata (a name, a media
 * type), never the source of the length. A manifest that gives another length than the proven
 * one is a lie or a mistake: it is discarded, and so is every other manifest of its publisher (a
 * key that signed one false length is not believed about names either). The rest are ranked: a
 * name vouched for by more distinct publishers first, then the newest, then by publisher key, so
 * the order never depends on the order the DHT answered in.
 *
 * @param kept                 the manifests believed, best first
 * @param discarded            those that contradict the length, or whose publisher did
 * @param distrustedPublishers how many publishers signed a length that contradicts the proof
 */
record ManifestRanking(List<Manifest> kept, List<Manifest> discarded, int distrustedPublishers) {
    private static final HexFormat HEX = HexFormat.of();

    ManifestRanking {
        kept = List.copyOf(kept);
        discarded = List.copyOf(discarded);
    }

    /** Ranks {@code manifests} of a content whose length is proven to be {@code provenLengthBytes}. */
    static ManifestRanking rank(List<Manifest> manifests, long provenLengthBytes) {
        Set<String> distrusted = new TreeSet<>();
        for (Manifest m : manifests) {
            if (m.lengthBytes() != provenLengthBytes) {
                distrusted.add(HEX.formatHex(m.publisherKey()));
            }
        }
        List<Manifest> kept = new ArrayList<>();
        List<Manifest> discarded = new ArrayList<>();
        for (Manifest m : manifests) {
            (distrusted.contains(HEX.formatHex(m.publisherKey())) ? discarded : kept).add(m);
        }
        kept.sort(Comparator.comparingInt((Manifest m) -> -publishersNaming(kept, m.name()))
                .thenComparing(Comparator.comparingLong(Manifest::createdEpochSeconds).reversed())
                .thenComparing(m -> HEX.formatHex(m.publisherKey()))
                .thenComparing(Manifest::name));
        return new ManifestRanking(kept, discarded, distrusted.size());
    }

    private static int publishersNaming(List<Manifest> manifests, String name) {
        Set<String> publishers = new TreeSet<>();
        for (Manifest m : manifests) {
            if (m.name().equals(name)) {
                publishers.add(HEX.formatHex(m.publisherKey()));
            }
        }
        return publishers.size();
    }
}
