package org.kadshare.overlay.reach;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a node tries to become reachable.
 *
 * @param gateway         the router to ask; empty = the default route's gateway
 * @param lifetimeSeconds the lifetime asked for each mapping (renewed at half of what is granted)
 * @param methods         how the router is asked for port mappings once the peers show that a NAT
 *                        is in between, in order: the next one only when the router did not answer
 *                        the one before at all (nor in its version); empty = no port mapping
 */
public record ReachOptions(Optional<InetAddress> gateway, long lifetimeSeconds, List<MappingMethod> methods) {
    /** RFC 6886's recommended lifetime: two hours. */
    public static final long DEFAULT_LIFETIME_SECONDS = 7200;
    /** Every method, in the order {@code auto} tries them. */
    public static final List<MappingMethod> ALL_METHODS = List.of(MappingMethod.values());
    /** No port mapping (the library's default, and always for a node bound to loopback). */
    public static final ReachOptions OFF = new ReachOptions(Optional.empty(), DEFAULT_LIFETIME_SECONDS, List.of());

    /** Rejects nulls, a method named twice and a lifetime out of NAT-PMP's and PCP's range. */
    public ReachOptions {
        Objects.requireNonNull(gateway, "gateway");
        methods = List.copyOf(methods);
        if (methods.stream().distinct().count() != methods.size()) {
            throw new IllegalArgumentException("a port mapping method is named twice: " + methods);
        }
        if (lifetimeSeconds < 1 || lifetimeSeconds > NatPmpCodec.MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("a port mapping lifetime of " + lifetimeSeconds + " s is not in 1.."
                    + NatPmpCodec.MAX_LIFETIME_SECONDS);
        }
    }

    /** Port mapping (PCP, then NAT-PMP, then UPnP-IGD) through the default gateway with the default lifetime. */
    public static ReachOptions mapping() {
        return new ReachOptions(Optional.empty(), DEFAULT_LIFETIME_SECONDS, ALL_METHODS);
    }

    /** Whether to ask the router for port mappings at all. */
    public boolean mapPorts() {
        return !methods.isEmpty();
    }
}
