package org.kadshare.overlay.krpc;

import java.net.InetSocketAddress;

/**
 * A holder of some content as KRPC carries it in "values": an IPv4 endpoint. On the wire it is the
 * 6-byte compact peer info: 4-byte IPv4 address, 2-byte big-endian port.
 *
 * @param address a resolved IPv4 address with a port in 1..65535
 */
public record PeerInfo(InetSocketAddress address) {
    /** Length of the compact form in bytes. */
    public static final int COMPACT_BYTES = 6;

    /** Checks the address is a resolved IPv4 endpoint with a non-zero port. */
    public PeerInfo {
        Endpoints.checkedIpv4("peer", address);
    }
}
