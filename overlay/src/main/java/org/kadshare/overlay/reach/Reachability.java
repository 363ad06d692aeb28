package org.kadshare.overlay.reach;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether peers can open connections to this node, and how, for {@code node status}.
 *
 * @param how    public, mapped (through the router's port mapping), forwarded (by the router,
 *               set up by hand), unreachable, or unknown
 * @param seenAs the address the answering peers agree they see this node at (UDP)
 * @param tcp    the block port's mapping on the router, when there is one
 * @param udp    the DHT port's mapping on the router, when there is one
 * @param detail one line on why
 */
public record Reachability(How how, Optional<InetSocketAddress> seenAs, Optional<ActiveMapping> tcp,
        Optional<ActiveMapping> udp, String detail) {

    /** How this node can be reached. */
    public enum How {
        /** Peers see this host's own address: nothing translates it. */
        PUBLIC,
        /** Behind a NAT whose router forwards the block port to this host, mapped by us. */
        MAPPED,
        /** Behind a NAT whose router forwards the block port to this host: a peer connected. */
        FORWARDED,
        /** Behind a NAT that forwards nothing to this host. */
        UNREACHABLE,
        /** Too few peers have said how they see this node yet. */
        UNKNOWN;

        /** The lower-case name shown in {@code status}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Rejects nulls. */
    public Reachability {
        Objects.requireNonNull(how, "how");
        Objects.requireNonNull(seenAs, "seenAs");
        Objects.requireNonNull(tcp, "tcp");
        Objects.requireNonNull(udp, "udp");
        Objects.requireNonNull(detail, "detail");
    }
}
