package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.Inet4Address;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Keeps a mapping of the block server's TCP port and the DHT's UDP port on the gateway, asked by
 * one method ({@link MappingRouter}: PCP, NAT-PMP or UPnP-IGD). Each {@link #refresh()} asks for
 * both mappings (asking for the external ports it has already, so a renewal keeps them) and then
 * for the router's external address, and says when to refresh next: at half the shortest
 * lifetime granted (RFC 6886 section 3.7), or after
 * {@link #RETRY_MILLIS} when the router refused or did not answer (doubling while it keeps
 * granting nothing, up to {@link #MAX_RETRY_MILLIS}). A mapping whose renewal fails
 * stays until its lifetime ends, then is gone. {@link #release()} deletes both (a clean stop).
 * Blocking I/O through its transport, on one thread; the caller runs it off the node's event
 * loops, and the getters may be read from any thread.
 */
final class PortMapper {
    /**
     * Wait before asking again a router that refused or did not answer; it doubles with each
     * refresh in a row that got no mapping at all, up to {@link #MAX_RETRY_MILLIS}.
     */
    static final long RETRY_MILLIS = 60_000;
    /** Longest wait before asking again a router that keeps refusing or stays silent. */
    static final long MAX_RETRY_MILLIS = 30 * 60_000;
    /** Shortest wait between two refreshes, whatever lifetime a router grants. */
    static final long MIN_REFRESH_MILLIS = 1_000;

    private final MappingRouter router;
    private final LongSupplier clock;
    private final Map<MappingProtocol, Integer> internalPorts = new EnumMap<>(MappingProtocol.class);
    private final long lifetimeSeconds;
    private final Map<MappingProtocol, ActiveMapping> active = new EnumMap<>(MappingProtocol.class);
    /** What {@link #mapping}, {@link #problem} and the rest show: read from other threads. */
    private volatile Map<MappingProtocol, ActiveMapping> granted = Map.of();
    private volatile Optional<Inet4Address> externalAddress = Optional.empty();
    private volatile String problem = "";
    private volatile long renewals;
    /** Refreshes in a row that got no mapping at all: what the retry wait doubles with. */
    private int emptyRefreshesInARow;

    PortMapper(MappingRouter router, LongSupplier clock, int tcpPort, int udpPort, long lifetimeSeconds) {
        if (lifetimeSeconds < 1 || lifetimeSeconds > NatPmpCodec.MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("a mapping lifetime of " + lifetimeSeconds + " s is not in 1.."
                    + NatPmpCodec.MAX_LIFETIME_SECONDS);
        }
        this.router = router;
        this.clock = clock;
        this.lifetimeSeconds = lifetimeSeconds;
        internalPorts.put(MappingProtocol.TCP, tcpPort);
        internalPorts.put(MappingProtocol.UDP, udpPort);
    }

    /** Asks for the external address and both mappings; returns the delay until the next refresh. */
    long refresh() {
        long now = clock.getAsLong();
        StringBuilder problems = new StringBuilder();
        long next = Long.MAX_VALUE;
        long retry = Math.min(MAX_RETRY_MILLIS, RETRY_MILLIS << Math.min(emptyRefreshesInARow, 10));
        boolean grantedAny = false;
        for (Map.Entry<MappingProtocol, Integer> e : internalPorts.entrySet()) {
            MappingProtocol protocol = e.getKey();
            ActiveMapping had = active.get(protocol);
            int suggested = had != null ? had.externalPort() : e.getValue();
            try {
                MappingRouter.Grant reply = router.map(protocol, e.getValue(), suggested, lifetimeSeconds);
                active.put(protocol, new ActiveMapping(protocol, e.getValue(), reply.externalPort(),
                        now + reply.lifetimeSeconds() * 1000));
                grantedAny = true;
                if (had != null) {
                    renewals++;
                }
                next = Math.min(next, Math.max(MIN_REFRESH_MILLIS, reply.lifetimeSeconds() * 1000 / 2));
            } catch (IOException ex) {
                if (had != null && had.expiresAtMillis() <= now) {
                    active.remove(protocol);
                }
                if (problems.length() > 0) {
                    problems.append("; ");
                }
                problems.append(protocol).append(' ').append(e.getValue()).append(": ").append(ex.getMessage());
                next = Math.min(next, retry);
            }
        }
        // After the mappings: a PCP router tells its external address only in a mapping's answer.
        try {
            externalAddress = Optional.of(router.externalAddress());
        } catch (IOException e) {
            if (grantedAny || problems.length() == 0) {
                problems.append(problems.length() > 0 ? "; " : "").append("external address: ").append(e.getMessage());
            }
        }
        emptyRefreshesInARow = grantedAny ? 0 : emptyRefreshesInARow + 1;
        problem = problems.toString();
        granted = Map.copyOf(active);
        for (ActiveMapping m : active.values()) {
            next = Math.min(next, Math.max(MIN_REFRESH_MILLIS, m.expiresAtMillis() - now));
        }
        return next;
    }

    /** Deletes the mappings granted (one try each: the router drops them at expiry anyway). */
    void release() {
        for (ActiveMapping m : active.values()) {
            try {
                router.unmap(m);
            } catch (IOException e) {
                problem = "deleting the " + m.protocol() + " mapping: " + e.getMessage();
            }
        }
        active.clear();
        granted = Map.of();
    }

    /** The mapping of {@code protocol} now, if the router granted one that has not expired. */
    Optional<ActiveMapping> mapping(MappingProtocol protocol) {
        ActiveMapping m = granted.get(protocol);
        return m == null || m.expiresAtMillis() <= clock.getAsLong() ? Optional.empty() : Optional.of(m);
    }

    /** The router's external address, as it last said. */
    Optional<Inet4Address> externalAddress() {
        return externalAddress;
    }

    /** What went wrong in the last refresh; empty when nothing did. */
    String problem() {
        return problem;
    }

    /** Mappings renewed so far. */
    long renewals() {
        return renewals;
    }

    String gateway() {
        return router.gateway();
    }

    /** How the router is asked: {@code PCP}, {@code NAT-PMP} or {@code UPnP-IGD}. */
    String method() {
        return router.method();
    }

    MappingRouter router() {
        return router;
    }
}
