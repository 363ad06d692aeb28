package org.kadshare.overlay.dht;

/**
 * Parameters of one iterative {@link Lookup}.
 *
 * @param k                  how many closest responding contacts end the lookup (and are returned)
 * @param alpha              requests in flight that have not passed their soft timeout
 * @param maxCandidates      bound on contacts remembered by one lookup
 * @param maxPeers           bound on holder addresses collected
 * @param maxValues          bound on values (encoded manifests) collected
 */
record LookupConfig(int k, int alpha, int maxCandidates, int maxPeers, int maxValues) {
    LookupConfig {
        if (k < 1 || alpha < 1 || maxCandidates < k || maxPeers < 0 || maxValues < 0) {
            throw new IllegalArgumentException("bad lookup config: k=" + k + " alpha=" + alpha
                    + " maxCandidates=" + maxCandidates
                    + " maxPeers=" + maxPeers + " maxValues=" + maxValues);
        }
    }

    static LookupConfig defaults() {
        return new LookupConfig(8, 3, 128, 200, 32);
    }
}
