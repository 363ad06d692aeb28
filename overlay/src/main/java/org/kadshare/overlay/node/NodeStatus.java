package org.kadshare.overlay.node;

import java.net.InetSocketAddress;
import org.kadshare.overlay.dht.NodeId;

/** A snapshot of a node for {@code node status}. */
public record NodeStatus(NodeId nodeId, InetSocketAddress dhtAddress, InetSocketAddress transferAddress,
        int routingContacts, int liveContacts, int holderRecords, int manifestRecords, int filesShared,
        int transfersInProgress, long uploadedBytes) {
}
