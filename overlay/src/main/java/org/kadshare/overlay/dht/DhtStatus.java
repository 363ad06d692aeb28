package org.kadshare.overlay.dht;

import java.util.Objects;

/**
 * A snapshot of one {@link DhtNode}: its tables and counters, for status output and tests.
 *
 * @param nodeId           the node's ID
 * @param routingContacts  contacts in the routing table
 * @param liveContacts     of those, contacts in BEP 5's good state (answered us recently)
 * @param holderRecords    announce_peer records this node stores for others
 * @param manifestRecords  manifests this node stores for others and its own
 * @param pendingQueries   our own queries waiting for an answer
 * @param counters         dropped and refused traffic so far
 */
public record DhtStatus(NodeId nodeId, int routingContacts, int liveContacts, int holderRecords,
                        int manifestRecords, int pendingQueries, DhtCounters counters) {
    /** Rejects null parts and negative counts. */
    public DhtStatus {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(counters, "counters");
        if (routingContacts < 0 || liveContacts < 0 || liveContacts > routingContacts || holderRecords < 0
                || manifestRecords < 0 || pendingQueries < 0) {
            throw new IllegalArgumentException("inconsistent DHT status: contacts=" + routingContacts
                    + " live=" + liveContacts + " holders=" + holderRecords + " manifests=" + manifestRecords
                    + " pending=" + pendingQueries);
        }
    }
}
