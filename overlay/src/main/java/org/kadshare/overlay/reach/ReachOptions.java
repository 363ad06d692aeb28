package org.kadshare.overlay.reach;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node tries to become reachable.
 *
 * @param mapPorts        whether to ask the router for port mappings (NAT-PMP) once the peers
 *                        show that a NAT is in between
 * @param gateway         the router to ask; empty = the default route's gateway
 * @param lifetimeSeconds the lifetime asked for each mapping (renewed at half of what is granted)
 * @param upnp            whether to ask the router's UPnP-IGD when it does not answer NAT-PMP
 */
public record ReachOptions(boolean mapPorts, Optional<InetAddress> gateway, long lifetimeSeconds, boolean upnp) {
    /** RFC 6886's recommended lifetime: two hours. */
    public static final long DEFAULT_LIFETIME_SECONDS = 7200;
    /** No port mapping (the library's default, and always for a node bound to loopback). */
    public static final ReachOptions OFF = new ReachOptions(false, Optional.empty(), DEFAULT_LIFETIME_SECONDS, false);

    /** Rejects nulls and a lifetime out of NAT-PMP's range. */
    public ReachOptions {
        Objects.requireNonNull(gateway, "gateway");
        if (lifetimeSeconds < 1 || lifetimeSeconds > NatPmpCodec.MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("a port mapping lifetime of " + lifetimeSeconds + " s is not in 1.."
                    + NatPmpCodec.MAX_LIFETIME_SECONDS);
        }
    }

    /** Port mapping (NAT-PMP, then UPnP-IGD) through the default gateway with the default lifetime. */
    public static ReachOptions mapping() {
        return new ReachOptions(true, Optional.empty(), DEFAULT_LIFETIME_SECONDS, true);
    }
}
