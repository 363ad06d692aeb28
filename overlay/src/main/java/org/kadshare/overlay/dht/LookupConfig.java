package org.kadshare.overlay.dht;

/**
 * Parameters of one iterative {@link Lookup}, and of the {@link DisjointLookup} that runs several.
 *
 * @param k                  how many closest responding contacts end the lookup (and are returned)
 * @param alpha              requests in flight that have not passed their soft timeout
 * @param maxCandidates      bound on contacts remembered by one lookup
 * @param maxPeers           bound on holder addresses collected
 * @param maxValues          bound on values (encoded manifests) collected
 * @param diversity          contacts of one subnet that count together toward the k closest
 * @param paths              disjoint paths of a {@link DisjointLookup} (1 = a plain lookup)
 * @param widenTo            responders a lookup goes on to when its k closest brought no value
 *                           (k = never widens: lookups that look for nodes only)
 */
record LookupConfig(int k, int alpha, int maxCandidates, int maxPeers, int maxValues,
                    AddressDiversity diversity, int paths, int widenTo) {
    LookupConfig {
        if (k < 1 || alpha < 1 || maxCandidates < k || maxPeers < 0 || maxValues < 0 || diversity == null
                || paths < 1 || widenTo < k || maxCandidates < widenTo) {
            throw new IllegalArgumentException("bad lookup config: k=" + k + " alpha=" + alpha
                    + " maxCandidates=" + maxCandidates
                    + " maxPeers=" + maxPeers + " maxValues=" + maxValues + " diversity=" + diversity
                    + " paths=" + paths + " widenTo=" + widenTo);
        }
    }

    /** One path, no widening, the default diversity limit. */
    LookupConfig(int k, int alpha, int maxCandidates, int maxPeers, int maxValues) {
        this(k, alpha, maxCandidates, maxPeers, maxValues, AddressDiversity.defaults(), 1, k);
    }

    static LookupConfig defaults() {
        return new LookupConfig(8, 3, 128, 200, 32);
    }

    /** This config for a lookup that looks for nodes only: it never widens. */
    LookupConfig forNodes() {
        return new LookupConfig(k, alpha, maxCandidates, maxPeers, maxValues, diversity, paths, k);
    }
}
