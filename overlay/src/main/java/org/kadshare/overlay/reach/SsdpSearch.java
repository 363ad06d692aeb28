package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Optional;

/**
 * Finds the gateway's UPnP-IGD by SSDP: an {@code M-SEARCH} for each of
 * {@link SsdpCodec#GATEWAY_TYPES}, multicast on the interface that leads to the gateway and
 * unicast to the gateway's port 1900 (some routers answer only one of the two), sent twice;
 * only an answer from the gateway's address counts. At most {@link #WAIT_MILLIS} in all.
 */
final class SsdpSearch {
    /** Longest wait for the gateway's answer. */
    static final int WAIT_MILLIS = 2_000;
    private static final int MX_SECONDS = 1;

    private SsdpSearch() {
    }

    /**
     * The description's location the gateway gives, or empty when it does not answer in time;
     * {@code port} is SSDP's 1900 but in tests (whose fake routers take a port the system assigns).
     */
    static Optional<URI> find(InetAddress gateway, int port) throws IOException {
        try (MulticastSocket socket = new MulticastSocket(0)) {
            InetAddress local = localAddressTowards(gateway);
            NetworkInterface towards = NetworkInterface.getByInetAddress(local);
            if (towards != null) {
                socket.setNetworkInterface(towards);
            }
            socket.setTimeToLive(2);
            byte[] buffer = new byte[SsdpCodec.MAX_ANSWER_BYTES];
            for (int round = 0; round < 2; round++) {
                send(socket, gateway, port);
                int slice = WAIT_MILLIS / 2;
                long end = System.nanoTime() + slice * 1_000_000L;
                while (true) {
                    long left = (end - System.nanoTime()) / 1_000_000L;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) left);
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    try {
                        socket.receive(in);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    if (in.getAddress().equals(gateway)) {
                        Optional<URI> location = SsdpCodec.gatewayLocation(in.getData(), in.getLength(), gateway);
                        if (location.isPresent()) {
                            return location;
                        }
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** This host's address on the way to {@code gateway} (what a mapping forwards to). */
    static InetAddress localAddressTowards(InetAddress gateway) throws IOException {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(gateway, SsdpCodec.PORT));
            InetAddress local = probe.getLocalAddress();
            if (local == null || local.isAnyLocalAddress()) {
                throw new UpnpException("no route to the gateway " + gateway.getHostAddress());
            }
            return local;
        }
    }

    private static void send(DatagramSocket socket, InetAddress gateway, int port) throws IOException {
        InetAddress group = InetAddress.getByName(SsdpCodec.MULTICAST_GROUP);
        IOException failed = null;
        int sent = 0;
        for (String type : SsdpCodec.GATEWAY_TYPES) {
            byte[] search = SsdpCodec.search(type, MX_SECONDS);
            for (InetAddress to : new InetAddress[] {gateway, group}) {
                try {
                    socket.send(new DatagramPacket(search, search.length, to, port));
                    sent++;
                } catch (IOException e) {
                    failed = e;
                }
            }
        }
        if (sent == 0) {
            throw new UpnpException("sending the SSDP search failed: " + failed);
        }
    }
}
