package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;

/**
 * Finds the gateway's UPnP-IGD port-mapping service: an SSDP search ({@link SsdpSearch}), the
 * device description it points to ({@link IgdHttp}, on the gateway itself), and the
 * WANIPConnection or WANPPPConnection service in it ({@link IgdDescription}).
 */
final class IgdDiscovery {
    private IgdDiscovery() {
    }

    /** The gateway's UPnP-IGD, mapping to this host's address towards it; an error says what was missing. */
    static UpnpRouter find(InetAddress gateway) throws IOException {
        return find(gateway, SsdpCodec.PORT);
    }

    /** {@link #find(InetAddress)}, with the gateway's SSDP port: 1900 but in tests. */
    static UpnpRouter find(InetAddress gateway, int ssdpPort) throws IOException {
        URI location = SsdpSearch.find(gateway, ssdpPort).orElseThrow(() -> new UpnpException("no UPnP-IGD answered an SSDP"
                + " search on the gateway " + gateway.getHostAddress() + " within " + SsdpSearch.WAIT_MILLIS + " ms"));
        HttpClient client = IgdHttp.client();
        IgdService service = IgdDescription.mappingService(IgdHttp.description(client, location), location);
        return new UpnpRouter(new IgdHttp(client, service), SsdpSearch.localAddressTowards(gateway));
    }
}
