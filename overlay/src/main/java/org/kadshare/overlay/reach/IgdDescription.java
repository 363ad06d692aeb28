package org.kadshare.overlay.reach;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import org.w3c.dom.Element;

/**
 * Reads a gateway's device description (UPnP Device Architecture 1.1, section 2.3) for the
 * service that maps ports: WANIPConnection (version 2, then 1), else WANPPPConnection:1, at any
 * depth of the device tree. Its control URL is resolved against {@code URLBase} or the
 * description's own location, and must stay on the host that served the description: a
 * description cannot send the SOAP calls to a third party. Pure functions.
 */
final class IgdDescription {
    /** The services that map ports, in the order they are preferred. */
    static final List<String> MAPPING_SERVICES = List.of("urn:schemas-upnp-org:service:WANIPConnection:2",
            "urn:schemas-upnp-org:service:WANIPConnection:1", "urn:schemas-upnp-org:service:WANPPPConnection:1");

    private IgdDescription() {
    }

    /** The port-mapping service described in {@code xml}, fetched from {@code location}. */
    static IgdService mappingService(byte[] xml, URI location) throws UpnpException {
        Element root = SafeXml.parse(xml, "the device description at " + location).getDocumentElement();
        List<Element> services = SafeXml.descendants(root, "service");
        for (String wanted : MAPPING_SERVICES) {
            for (Element service : services) {
                if (wanted.equals(SafeXml.childText(service, "serviceType"))) {
                    return new IgdService(wanted, controlUrl(root, service, location));
                }
            }
        }
        throw new UpnpException("the device at " + location + " has no WANIPConnection or WANPPPConnection service");
    }

    /** Whether {@code uri}'s host is the IPv4 literal of {@code address} (no name is ever looked up). */
    static boolean isAddressOf(URI uri, InetAddress address) {
        String host = uri.getHost();
        if (host == null || !host.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).equals(address);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static URI controlUrl(Element root, Element service, URI location) throws UpnpException {
        String relative = SafeXml.childText(service, "controlURL");
        if (relative.isEmpty()) {
            throw new UpnpException("the device at " + location + " names no control URL for its port-mapping service");
        }
        String base = SafeXml.childText(root, "URLBase");
        URI control;
        try {
            control = (base.isEmpty() ? location : new URI(base)).resolve(new URI(relative));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new UpnpException("the device at " + location + " gives a malformed control URL: " + e.getMessage());
        }
        if (!"http".equalsIgnoreCase(control.getScheme()) || control.getHost() == null
                || !control.getHost().equals(location.getHost())) {
            throw new UpnpException("the device at " + location + " puts its control URL on another host: " + control);
        }
        return control;
    }
}
