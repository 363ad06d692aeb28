package org.kadshare.overlay.dht;

/**
 * How long a node keeps a record it caches because a lookup passed by without finding it there
 * (Kademlia's caching, section 2.3 of the paper: expiry "exponentially inversely proportional to
 * the number of nodes between the current node and the node whose ID is closest to the key").
 *
 * <p>Formula: with {@code c} the number of contacts in our routing table that are closer to the
 * key than we are and {@code k} the bucket size, {@code ttl = max(minTtl, fullTtl / 2^floor(c/k))}.
 * A node among the key's k closest keeps the record for the full TTL; every further k nodes
 * between us and the key halve it, so caches far from the key (where a flood of them would
 * otherwise stay stale) fade fast.
 */
final class CacheTtl {
    private CacheTtl() {}

    static long ttlMillis(long fullTtlMillis, long minTtlMillis, int closerContacts, int k) {
        int halvings = Math.min(62, closerContacts / k);
        return Math.max(minTtlMillis, fullTtlMillis >> halvings);
    }

    /** Number of {@code table}'s contacts closer to {@code key} than the table's own ID. */
    static int closerContacts(RoutingTable table, NodeId key) {
        int n = 0;
        for (Contact c : table.contacts()) {
            if (key.compareDistance(c.id(), table.ownId()) < 0) {
                n++;
            }
        }
        return n;
    }
}
