package org.kadshare.overlay.reach;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;

/** Ports for the fake routers' tests, assigned by the system so that two runs on one machine do not collide. */
final class LoopbackPorts {
    private LoopbackPorts() {
    }

    /** A UDP port on loopback that nothing listened on a moment ago (a request to it gets ICMP port-unreachable). */
    static int closedUdpPort() throws SocketException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        }
    }
}
