package org.kadshare.overlay.reach;

import java.net.Inet4Address;
import java.util.Optional;

/**
 * A gateway's answer to a PCP MAP request (RFC 6887 section 11.1).
 *
 * @param version         the answer's version: {@link PcpCodec#VERSION}, or another one (0 from a
 *                        NAT-PMP server) in an "unsupported version" answer
 * @param resultCode      {@link PcpCodec#SUCCESS} or why not
 * @param lifetimeSeconds how long the mapping lasts or, for an error, how long the error does
 * @param epochSeconds    the server's seconds since it last lost its mappings (0 if not told)
 * @param externalPort    the port assigned (0 unless granted)
 * @param externalAddress the address assigned (empty unless granted)
 */
record PcpAnswer(int version, int resultCode, long lifetimeSeconds, long epochSeconds, int externalPort,
        Optional<Inet4Address> externalAddress) {

    PcpAnswer(int version, int resultCode, long lifetimeSeconds, long epochSeconds, int externalPort,
            Inet4Address externalAddress) {
        this(version, resultCode, lifetimeSeconds, epochSeconds, externalPort, Optional.of(externalAddress));
    }

    static PcpAnswer otherVersion(int version, int resultCode) {
        return new PcpAnswer(version, resultCode, 0, 0, 0, Optional.empty());
    }

    static PcpAnswer refusal(int resultCode, long lifetimeSeconds) {
        return new PcpAnswer(PcpCodec.VERSION, resultCode, lifetimeSeconds, 0, 0, Optional.empty());
    }
}
