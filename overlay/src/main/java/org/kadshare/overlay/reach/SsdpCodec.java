package org.kadshare.overlay.reach;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * SSDP's search request and its answer (UPnP Device Architecture 1.1, section 1.3): an
 * {@code M-SEARCH} for an Internet gateway device, and the {@code LOCATION} of the device
 * description in a {@code 200 OK} answer. Pure functions.
 */
final class SsdpCodec {
    /** SSDP's port, multicast and unicast. */
    static final int PORT = 1900;
    /** SSDP's IPv4 multicast group. */
    static final String MULTICAST_GROUP = "239.255.255.250";
    /** The device types searched for, newest first. */
    static final List<String> GATEWAY_TYPES = List.of("urn:schemas-upnp-org:device:InternetGatewayDevice:2",
            "urn:schemas-upnp-org:device:InternetGatewayDevice:1");
    /** Longest answer read: an SSDP answer is a few hundred bytes. */
    static final int MAX_ANSWER_BYTES = 2048;

    private SsdpCodec() {
    }

    /** A search for devices of {@code searchTarget}, answered within {@code mxSeconds}. */
    static byte[] search(String searchTarget, int mxSeconds) {
        return ("M-SEARCH * HTTP/1.1\r\n"
                + "HOST: " + MULTICAST_GROUP + ":" + PORT + "\r\n"
                + "MAN: \"ssdp:discover\"\r\n"
                + "MX: " + mxSeconds + "\r\n"
                + "ST: " + searchTarget + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The description's location in an answer from {@code responder} for one of
     * {@link #GATEWAY_TYPES}: an {@code http} URL on the responder itself (a device that points
     * elsewhere is not followed). Empty for anything else.
     */
    static Optional<URI> gatewayLocation(byte[] answer, int length, InetAddress responder) {
        String text = new String(answer, 0, Math.min(length, MAX_ANSWER_BYTES), StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        if (lines.length == 0 || !lines[0].matches("HTTP/1\\.[01] 200( .*)?")) {
            return Optional.empty();
        }
        String location = null;
        String type = null;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("location")) {
                location = value;
            } else if (name.equals("st")) {
                type = value;
            }
        }
        if (location == null || type == null || !GATEWAY_TYPES.contains(type)) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(location);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || !IgdDescription.isAddressOf(uri, responder)) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
