package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.Objects;

/** A DHT node as others know it: its ID and the UDP address it answers on. */
record Contact(NodeId id, InetSocketAddress address) {
    /** Rejects null parts and unresolved addresses (the DHT never does name lookups). */
    public Contact {
        Objects.requireNonNull(id, "contact id");
        Objects.requireNonNull(address, "contact address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("contact address must be resolved: " + address);
        }
    }
}
