package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A router asked by UPnP-IGD through its WANIPConnection (or WANPPPConnection) service:
 * {@code GetExternalIPAddress}, {@code AddPortMapping} to this host's address and
 * {@code DeletePortMapping}. The router's answers it acts on:
 * <ul>
 * <li>725 OnlyPermanentLeasesSupported: from then on every request asks for lease 0 (the mapper
 * still adds it again at half the lifetime asked, which puts it back on a rebooted router, and
 * deletes it on stop).</li>
 * <li>718 ConflictInMappingEntry: another host has that external port; the next ones are tried,
 * at most {@link #CONFLICT_TRIES} a request, and the one granted is the one to announce.</li>
 * <li>606, 401, HTTP 401/403: this host may not map ports (an error that says so).</li>
 * </ul>
 */
final class UpnpRouter implements MappingRouter {
    /** External ports tried per request when the router says the port is taken. */
    static final int CONFLICT_TRIES = 8;
    /** Longest lease asked for: IGD:2 caps leases at a week. */
    static final long MAX_LEASE_SECONDS = 604_800;
    private static final String DESCRIPTION = "kadshare";

    private final IgdControl igd;
    private final String internalClient;
    private boolean permanentOnly;

    UpnpRouter(IgdControl igd, InetAddress internalClient) {
        this.igd = igd;
        this.internalClient = internalClient.getHostAddress();
    }

    @Override
    public Inet4Address externalAddress() throws IOException {
        String text = igd.call("GetExternalIPAddress", Map.of()).getOrDefault("NewExternalIPAddress", "");
        if (text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            try {
                return (Inet4Address) InetAddress.getByName(text);
            } catch (UnknownHostException e) {
                // falls through to the error below
            }
        }
        throw new UpnpException("the router's external address '" + text + "' is not an IPv4 address");
    }

    @Override
    public Grant map(MappingProtocol protocol, int internalPort, int suggestedExternalPort, long lifetimeSeconds)
            throws IOException {
        long lease = Math.min(lifetimeSeconds, MAX_LEASE_SECONDS);
        int port = suggestedExternalPort;
        for (int tried = 0; tried < CONFLICT_TRIES; ) {
            try {
                igd.call("AddPortMapping", addArguments(protocol, internalPort, port, permanentOnly ? 0 : lease));
                return new Grant(port, lease);
            } catch (UpnpException e) {
                if (e.errorCode() == UpnpException.ONLY_PERMANENT_LEASES_SUPPORTED && !permanentOnly) {
                    permanentOnly = true;
                } else if (e.errorCode() == UpnpException.CONFLICT_IN_MAPPING_ENTRY) {
                    tried++;
                    port = port >= 65_535 ? 1024 : port + 1;
                } else {
                    throw e;
                }
            }
        }
        throw new UpnpException(UpnpException.CONFLICT_IN_MAPPING_ENTRY, CONFLICT_TRIES
                + " external ports from " + suggestedExternalPort + " on are all mapped to other hosts"
                + " (718 ConflictInMappingEntry)");
    }

    @Override
    public void unmap(ActiveMapping m) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("NewRemoteHost", "");
        a.put("NewExternalPort", Integer.toString(m.externalPort()));
        a.put("NewProtocol", m.protocol().name());
        igd.call("DeletePortMapping", a);
    }

    /** Whether the router said it takes only permanent leases (lease 0). */
    boolean permanentOnly() {
        return permanentOnly;
    }

    /** Always: the router was found by its answer to an SSDP search. */
    @Override
    public boolean answered() {
        return true;
    }

    @Override
    public String gateway() {
        return igd.gateway();
    }

    @Override
    public String method() {
        return "UPnP-IGD";
    }

    private Map<String, String> addArguments(MappingProtocol protocol, int internal, int external, long lease) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("NewRemoteHost", "");
        a.put("NewExternalPort", Integer.toString(external));
        a.put("NewProtocol", protocol.name());
        a.put("NewInternalPort", Integer.toString(internal));
        a.put("NewInternalClient", internalClient);
        a.put("NewEnabled", "1");
        a.put("NewPortMappingDescription", DESCRIPTION);
        a.put("NewLeaseDuration", Long.toString(lease));
        return a;
    }
}
