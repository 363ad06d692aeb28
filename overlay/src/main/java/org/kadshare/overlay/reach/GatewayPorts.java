package org.kadshare.overlay.reach;

/**
 * The gateway's ports that port mapping asks: PCP and NAT-PMP share UDP port 5351, SSDP
 * searches go to 1900. Fixed by the protocols; only tests, whose fake routers take ports the
 * system assigns, give others.
 */
record GatewayPorts(int pcpAndNatPmp, int ssdp) {
    static final GatewayPorts STANDARD = new GatewayPorts(NatPmpCodec.PORT, SsdpCodec.PORT);
}
