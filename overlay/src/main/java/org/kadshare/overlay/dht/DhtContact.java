package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A routing-table contact as a node's user sees it (for a peers listing).
 *
 * @param id      the contact's node ID
 * @param address the UDP address it answers on
 * @param live    whether it is in BEP 5's good state: it answered one of our queries recently
 */
public record DhtContact(NodeId id, InetSocketAddress address, boolean live) {
    /** Rejects null parts. */
    public DhtContact {
        Objects.requireNonNull(id, "contact id");
        Objects.requireNonNull(address, "contact address");
    }
}
