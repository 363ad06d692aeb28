package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.function.Predicate;

/**
 * NAT-PMP or PCP over UDP to the gateway's port 5351 (both use it): the request is sent again
 * after 250 ms, 500 ms and 1 s without an answer (RFC 6886's schedule, cut after
 * {@link #ATTEMPTS} tries: the mapper asks again later anyway), and only a datagram from the
 * gateway's port that the caller accepts is an answer (for NAT-PMP: the matching opcode); the
 * others are dropped and counted in the error when no answer comes.
 */
final class UdpNatPmpTransport implements NatPmpTransport, PcpTransport {
    /** Tries before the gateway counts as silent: about 1.75 s in all. */
    static final int ATTEMPTS = 3;
    private static final int FIRST_WAIT_MILLIS = 250;

    /** Room for PCP's largest message and one byte more, so a longer one is seen as such. */
    private static final int BUFFER_BYTES = PcpCodec.MAX_MESSAGE_BYTES + 1;

    private final InetSocketAddress gateway;
    private final String service;

    /** NAT-PMP ({@code service} names it in errors) at the gateway's {@code port}: 5351 but in tests. */
    UdpNatPmpTransport(InetAddress gateway, int port, String service) {
        this.gateway = new InetSocketAddress(gateway, port);
        this.service = service;
    }

    /** NAT-PMP at the gateway's port 5351. */
    UdpNatPmpTransport(InetAddress gateway) {
        this(gateway, NatPmpCodec.PORT, "NAT-PMP");
    }

    @Override
    public byte[] exchange(byte[] request) throws IOException {
        int opcode = request[1] & 0xff;
        return exchange(request, reply -> NatPmpCodec.replyOpcode(reply) == opcode);
    }

    @Override
    public byte[] exchange(byte[] request, Predicate<byte[]> isAnswer) throws IOException {
        int dropped = 0;
        try (DatagramSocket socket = new DatagramSocket()) {
            // Connected: the socket takes datagrams from the gateway's address and port only.
            socket.connect(gateway);
            byte[] buffer = new byte[BUFFER_BYTES];
            int wait = FIRST_WAIT_MILLIS;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++, wait *= 2) {
                socket.send(new DatagramPacket(request, request.length));
                socket.setSoTimeout(wait);
                try {
                    while (true) {
                        DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                        socket.receive(in);
                        byte[] reply = Arrays.copyOf(in.getData(), in.getLength());
                        if (isAnswer.test(reply)) {
                            return reply;
                        }
                        dropped++;
                    }
                } catch (SocketTimeoutException e) {
                    // send again, waiting twice as long
                } catch (PortUnreachableException e) {
                    throw new NatPmpException("no " + service + " service on the gateway " + gateway()
                            + " (its port " + gateway.getPort() + " is closed)");
                }
            }
        }
        throw new NatPmpException("no " + service + " answer from the gateway " + gateway() + " after " + ATTEMPTS
                + " tries" + (dropped == 0 ? "" : " (" + dropped + " datagrams from it were not answers and were dropped)"));
    }

    @Override
    public Inet4Address localAddress() throws IOException {
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(gateway);
            if (probe.getLocalAddress() instanceof Inet4Address local && !local.isAnyLocalAddress()) {
                return local;
            }
            throw new NatPmpException("no IPv4 route to the gateway " + gateway());
        }
    }

    @Override
    public String gateway() {
        return gateway.getAddress().getHostAddress();
    }
}
