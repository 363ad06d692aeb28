package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.Inet4Address;

/**
 * The router's side of port mapping, by one method (PCP, NAT-PMP, UPnP-IGD): what {@link PortMapper}
 * asks it, each call one blocking exchange (or a few), a refusal or silence an {@link IOException}
 * that says which.
 */
interface MappingRouter {
    /** A mapping the router granted: the external port to announce and how long it lasts. */
    record Grant(int externalPort, long lifetimeSeconds) {
    }

    /** The router's external address. */
    Inet4Address externalAddress() throws IOException;

    /** Maps {@code internalPort}, preferably at {@code suggestedExternalPort}, for about {@code lifetimeSeconds}. */
    Grant map(MappingProtocol protocol, int internalPort, int suggestedExternalPort, long lifetimeSeconds)
            throws IOException;

    /** Deletes {@code mapping}. */
    void unmap(ActiveMapping mapping) throws IOException;

    /**
     * Whether the router ever answered in this method (even to refuse): a router that did not
     * does not speak it, and the next method is tried.
     */
    boolean answered();

    /** The router, for messages. */
    String gateway();

    /** How it is asked, for the status: {@code PCP}, {@code NAT-PMP} or {@code UPnP-IGD}. */
    String method();
}
