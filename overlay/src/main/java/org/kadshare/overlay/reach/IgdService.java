package org.kadshare.overlay.reach;

import java.net.URI;
import java.util.Objects;

/**
 * The router's service that maps ports, as its device description names it.
 *
 * @param serviceType its type, e.g. {@code urn:schemas-upnp-org:service:WANIPConnection:1}, which
 *                    every SOAP call names
 * @param controlUrl  where the SOAP calls go: on the router itself
 */
record IgdService(String serviceType, URI controlUrl) {
    /** Rejects nulls. */
    IgdService {
        Objects.requireNonNull(serviceType, "serviceType");
        Objects.requireNonNull(controlUrl, "controlUrl");
    }
}
