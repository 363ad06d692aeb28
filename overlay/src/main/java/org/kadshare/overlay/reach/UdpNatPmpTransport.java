package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * NAT-PMP over UDP to the gateway's port 5351: the request is sent again after 250 ms, 500 ms and
 * 1 s without an answer (RFC 6886's schedule, cut after {@link #ATTEMPTS} tries: the mapper asks
 * again later anyway), and only a datagram from the gateway's port 5351 with the matching opcode
 * is an answer.
 */
final class UdpNatPmpTransport implements NatPmpTransport {
    /** Tries before the gateway counts as silent: about 1.75 s in all. */
    static final int ATTEMPTS = 3;
    private static final int FIRST_WAIT_MILLIS = 250;

    private final InetSocketAddress gateway;

    UdpNatPmpTransport(InetAddress gateway) {
        this.gateway = new InetSocketAddress(gateway, NatPmpCodec.PORT);
    }

    @Override
    public byte[] exchange(byte[] request) throws IOException {
        int opcode = request[1] & 0xff;
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(gateway);
            byte[] buffer = new byte[64];
            int wait = FIRST_WAIT_MILLIS;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++, wait *= 2) {
                socket.send(new DatagramPacket(request, request.length));
                socket.setSoTimeout(wait);
                try {
                    while (true) {
                        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                        socket.receive(in);
                        byte[] reply = Arrays.copyOf(in.getData(), in.getLength());
                        if (NatPmpCodec.replyOpcode(reply) == opcode) {
                            return reply;
                        }
                    }
                } catch (SocketTimeoutException e) {
                    // send again, waiting twice as long
                } catch (PortUnreachableException e) {
                    throw new NatPmpException("no NAT-PMP service on the gateway " + gateway()
                            + " (its port " + NatPmpCodec.PORT + " is closed)");
                }
            }
        }
        throw new NatPmpException("no NAT-PMP answer from the gateway " + gateway() + " after " + ATTEMPTS + " tries");
    }

    @Override
    public String gateway() {
        return gateway.getAddress().getHostAddress();
    }
}
