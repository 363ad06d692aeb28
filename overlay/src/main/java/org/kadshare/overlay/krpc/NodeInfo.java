package org.kadshare.overlay.krpc;

import java.net.InetSocketAddress;
import org.kadshare.overlay.dht.NodeId;

/**
 * A DHT contact as KRPC carries it in "nodes": the node's ID and its IPv4 UDP endpoint. On the
 * wire it is the 26-byte compact node info: 20-byte ID, 4-byte IPv4 address, 2-byte big-endian
 * port.
 *
 * @param id      the node's ID
 * @param address a resolved IPv4 address with a port in 1..65535
 */
public record NodeInfo(NodeId id, InetSocketAddress address) {
    /** Length of the compact form in bytes. */
    public static final int COMPACT_BYTES = 26;

    /** Checks the ID is present and the address is a resolved IPv4 endpoint with a non-zero port. */
    public NodeInfo {
        if (id == null) {
            throw new IllegalArgumentException("a node info needs an ID, got null");
        }
        Endpoints.checkedIpv4("node " + id, address);
    }
}
