package org.kadshare.overlay.reach;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A router's PCP server on loopback over a real UDP socket, on a port the system assigns. It
 * answers MAP requests as {@link #mode} says: granting (the port asked for, or another one),
 * refusing with a result code, speaking only NAT-PMP (a PCP request gets NAT-PMP's "unsupported
 * version", a NAT-PMP request an answer), or answering short, oversized, with garbage, or from
 * another address than the one asked.
 */
final class FakePcpServer implements AutoCloseable {
    static final String EXTERNAL_ADDRESS = "203.0.113.5";

    enum Mode { GRANT, GRANT_ANOTHER_PORT, REFUSE, NAT_PMP_ONLY, SHORT, OVERSIZED, GARBAGE, FROM_ANOTHER_ADDRESS,
        TAKEN_UNLESS_ANY_PORT }

    private final DatagramSocket socket;
    private final DatagramSocket other;
    private final Thread thread;
    volatile Mode mode = Mode.GRANT;
    volatile int resultCode = PcpCodec.NOT_AUTHORIZED;
    volatile long grantedLifetime = 60;
    /** The result code of its NAT-PMP mapping answers (with {@link Mode#NAT_PMP_ONLY}). */
    volatile int natPmpResult;
    /** Every PCP request: "TCP 4870 suggested 4870 lifetime 60 nonce 0a1b... client 127.0.0.1". */
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** Every NAT-PMP request, as its opcode. */
    final List<Integer> natPmpRequests = Collections.synchronizedList(new ArrayList<>());

    FakePcpServer(InetAddress at, InetAddress otherAddress) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(at, 0));
        other = new DatagramSocket(new InetSocketAddress(otherAddress, 0));
        socket.setSoTimeout(200);
        thread = new Thread(this::serve, "fake-pcp");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        byte[] buffer = new byte[1200];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                socket.receive(p);
                byte[] request = Arrays.copyOf(p.getData(), p.getLength());
                byte[] answer = request[0] == 0 ? natPmp(request) : pcp(request, p.getAddress());
                if (answer != null) {
                    DatagramSocket from = mode == Mode.FROM_ANOTHER_ADDRESS ? other : socket;
                    from.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
                }
            } catch (SocketTimeoutException e) {
                // look at isClosed again
            } catch (IOException e) {
                return;
            }
        }
    }

    /** A PCP answer; a request whose client address is not its source gets ADDRESS_MISMATCH, as from a real server. */
    private byte[] pcp(byte[] request, InetAddress source) {
        ByteBuffer in = ByteBuffer.wrap(request);
        long lifetime = in.getInt(4) & 0xffff_ffffL;
        byte[] nonce = Arrays.copyOfRange(request, 24, 36);
        int protocol = request[36] & 0xff;
        int internal = in.getShort(40) & 0xffff;
        int suggested = in.getShort(42) & 0xffff;
        String client = (request[20] & 0xff) + "." + (request[21] & 0xff) + "." + (request[22] & 0xff) + "."
                + (request[23] & 0xff);
        requests.add((protocol == 6 ? "TCP" : "UDP") + " " + internal + " suggested " + suggested + " lifetime "
                + lifetime + " nonce " + HexFormat.of().formatHex(nonce) + " client " + client);
        if (mode != Mode.NAT_PMP_ONLY && !client.equals(source.getHostAddress())) {
            return answer(request, 12, 30, 0);
        }
        return switch (mode) {
            case NAT_PMP_ONLY -> ByteBuffer.allocate(8).put((byte) 0).put((byte) (128 + request[1]))
                    .putShort((short) PcpCodec.UNSUPP_VERSION).putInt(7).array();
            case REFUSE -> answer(request, resultCode, 30, 0);
            case SHORT -> Arrays.copyOf(answer(request, 0, lifetime, internal), 24);
            case OVERSIZED -> Arrays.copyOf(answer(request, 0, lifetime, internal), 1104);
            case GARBAGE -> new byte[] {2, (byte) 0x81, 0, 0, 1, 2, 3, 4};
            case TAKEN_UNLESS_ANY_PORT -> suggested == 0 ? answer(request, 0, Math.min(lifetime, grantedLifetime),
                    internal + 1000) : answer(request, PcpCodec.CANNOT_PROVIDE_EXTERNAL, 30, 0);
            default -> {
                int external = lifetime == 0 ? 0 : mode == Mode.GRANT_ANOTHER_PORT && suggested == internal
                        ? internal + 100 : suggested == 0 ? internal : suggested;
                yield answer(request, 0, Math.min(lifetime, grantedLifetime), external);
            }
        };
    }

    /** A MAP answer to {@code request}: its nonce, protocol and internal port, and what is granted. */
    private static byte[] answer(byte[] request, int result, long lifetime, int externalPort) {
        ByteBuffer out = ByteBuffer.allocate(60).put((byte) 2).put((byte) 0x81).put((byte) 0).put((byte) result)
                .putInt((int) lifetime).putInt(42).put(new byte[12]);
        out.put(request, 24, 18); // nonce, protocol, reserved, internal port
        out.putShort((short) externalPort);
        out.put(new byte[10]).put((byte) 0xff).put((byte) 0xff).put(new byte[] {(byte) 203, 0, 113, 5});
        return out.array();
    }

    private byte[] natPmp(byte[] request) {
        int opcode = request[1];
        natPmpRequests.add(opcode);
        if (mode != Mode.NAT_PMP_ONLY) {
            return null;
        }
        if (opcode == 0) {
            return ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) 0).putInt(7)
                    .put(new byte[] {(byte) 203, 0, 113, 6}).array();
        }
        ByteBuffer in = ByteBuffer.wrap(request);
        return ByteBuffer.allocate(16).put((byte) 0).put((byte) (128 + opcode)).putShort((short) natPmpResult).putInt(7)
                .putShort(in.getShort(4)).putShort(in.getShort(6)).putInt(in.getInt(8)).array();
    }

    /** Closes both sockets and waits for the serving thread. */
    @Override
    public void close() throws InterruptedException {
        socket.close();
        other.close();
        thread.join(5_000);
    }
}
