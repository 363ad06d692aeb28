package org.kadshare.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chooses, among the verified manifests of one content ID, the one whose name and media type a
 * {@code get} uses, the same way on every node given the same manifests.
 *
 * <p>Rule: manifests are grouped by (name, media type); the group signed by the most distinct
 * publisher keys wins; on a tie, the group holding this node's own manifest; then the group whose
 * name, then media type, sorts first by UTF-8 bytes. From the winning group the node's own
 * manifest is returned, else the one with the smallest publisher key. A name is only a label: the
 * content is checked against its ID, never against a manifest, and {@code get -o} overrides it.
 */
public final class ManifestChoice {
    private static final Comparator<byte[]> BYTES = Arrays::compareUnsigned;

    private ManifestChoice() {
    }

    /**
     * The chosen manifest, or empty if there are none.
     *
     * @param manifests verified manifests, all of the same content ID
     * @param ownKey    this node's publisher key, or null
     */
    public static Optional<Manifest> choose(List<Manifest> manifests, byte[] ownKey) {
        TreeMap<Label, List<Manifest>> groups = new TreeMap<>();
        for (Manifest m : manifests) {
            groups.computeIfAbsent(new Label(m.name(), m.mediaType()), k -> new ArrayList<>()).add(m);
        }
        Label best = null;
        int bestVotes = -1;
        boolean bestOwn = false;
        for (var e : groups.entrySet()) {
            int votes = publishers(e.getValue());
            boolean own = e.getValue().stream().anyMatch(m -> isOwn(m, ownKey));
            if (votes > bestVotes || (votes == bestVotes && own && !bestOwn)) {
                best = e.getKey();
                bestVotes = votes;
                bestOwn = own;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        List<Manifest> group = groups.get(best);
        return group.stream().filter(m -> isOwn(m, ownKey)).findFirst()
                .or(() -> group.stream().min(Comparator.comparing(Manifest::publisherKeyUnshared, BYTES)));
    }

    private static int publishers(List<Manifest> group) {
        Set<String> keys = new HashSet<>();
        for (Manifest m : group) {
            keys.add(Arrays.toString(m.publisherKeyUnshared()));
        }
        return keys.size();
    }

    private static boolean isOwn(Manifest m, byte[] ownKey) {
        return ownKey != null && Arrays.equals(m.publisherKeyUnshared(), ownKey);
    }

    /** A (name, media type) pair ordered by the UTF-8 bytes of each. */
    private record Label(String name, String mediaType) implements Comparable<Label> {
        @Override
        public int compareTo(Label o) {
            int c = BYTES.compare(name.getBytes(StandardCharsets.UTF_8), o.name.getBytes(StandardCharsets.UTF_8));
            return c != 0 ? c : BYTES.compare(mediaType.getBytes(StandardCharsets.UTF_8),
                    o.mediaType.getBytes(StandardCharsets.UTF_8));
        }
    }
}
