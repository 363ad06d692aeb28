package org.kadshare.overlay.krpc;

import java.net.Inet4Address;
import java.net.InetSocketAddress;

/** The address checks shared by compact node and peer infos: resolved IPv4, port 1..65535. */
final class Endpoints {
    private Endpoints() {
    }

    static InetSocketAddress checkedIpv4(String what, InetSocketAddress address) {
        if (address == null) {
            throw new IllegalArgumentException(what + " address is null");
        }
        if (address.isUnresolved() || !(address.getAddress() instanceof Inet4Address)) {
            throw new IllegalArgumentException(what + " address must be a resolved IPv4 address, got "
                    + address);
        }
        checkedPort(what + " port", address.getPort());
        return address;
    }

    static int checkedPort(String what, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(what + " must be 1..65535, got " + port);
        }
        return port;
    }
}
