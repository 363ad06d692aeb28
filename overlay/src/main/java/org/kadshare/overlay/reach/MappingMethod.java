package org.kadshare.overlay.reach;

/** A way of asking the router for a port mapping, in the order {@code auto} tries them. */
public enum MappingMethod {
    /** Port Control Protocol (RFC 6887), on the gateway's UDP port 5351. */
    PCP("PCP"),
    /** NAT-PMP (RFC 6886), on the same port: what a PCP request's version negotiation falls back to. */
    NAT_PMP("NAT-PMP"),
    /** UPnP-IGD: SSDP, then SOAP over HTTP. */
    UPNP_IGD("UPnP-IGD");

    private final String label;

    MappingMethod(String label) {
        this.label = label;
    }

    /** The name shown in {@code status}. */
    public String label() {
        return label;
    }
}
