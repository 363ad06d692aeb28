package org.kadshare.overlay.node;

import java.net.InetSocketAddress;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.reach.Reachability;

/**
 * A snapshot of a node for {@code node status}; {@code filesShared} counts the complete files
 * served, {@code staleFiles} those found changed on disk (not served until {@code node refresh}),
 * {@code reachability} whether and how peers can connect to it.
 */
public record NodeStatus(NodeId nodeId, InetSocketAddress dhtAddress, InetSocketAddress transferAddress,
        int routingContacts, int liveContacts, int holderRecords, int manifestRecords, int filesShared, int staleFiles,
        int transfersInProgress, long uploadedBytes, Reachability reachability) {
}
