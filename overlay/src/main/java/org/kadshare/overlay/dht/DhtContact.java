package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A routing-table contact as a node's user sees it (for a peers listing).
 *
 * @param id      the contact's node ID
 * @param address the UDP address it answers on
 * @param live    whether it is in BEP 5's good state: it answered one of our queries recently
 * @param rttMillis the round trip of its latest answer to one of our queries, -1 if it never answered
 */
public record DhtContact(NodeId id, InetSocketAddress address, boolean live, long rttMillis) {
    /** Rejects null parts. */
    public DhtContact {
        Objects.requireNonNull(id, "contact id");
        Objects.requireNonNull(address, "contact address");
    }

    /** A contact whose round trip is not known. */
    public DhtContact(NodeId id, InetSocketAddress address, boolean live) {
        this(id, address, live, -1);
    }
}
