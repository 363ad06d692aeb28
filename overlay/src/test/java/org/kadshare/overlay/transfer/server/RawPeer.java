package org.kadshare.overlay.transfer.server;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.FrameCodec;
import org.kadshare.overlay.transfer.wire.FrameException;
import org.kadshare.overlay.transfer.wire.GetSpan;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.storage.ContentId;

/**
 * A blocking test client on a plain socket, from a chosen loopback source address: it sends what a
 * test tells it, byte by byte if need be, and reads frames one at a time (so it can also be a peer
 * that never reads).
 */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Connects from {@code sourceIp} (any 127.x address) with reads bounded to 30 s. */
    static RawPeer connect(String sourceIp, BlockServer server) throws IOException {
        return connect(sourceIp, server, 0);
    }

    /** As {@link #connect(String, BlockServer)}, with a receive buffer of {@code receiveBufferBytes} (0: default). */
    static RawPeer connect(String sourceIp, BlockServer server, int receiveBufferBytes) throws IOException {
        Socket s = new Socket();
        if (receiveBufferBytes > 0) {
            s.setReceiveBufferSize(receiveBufferBytes);
        }
        s.setSoTimeout(30_000);
        s.bind(new InetSocketAddress(InetAddress.getByName(sourceIp), 0));
        s.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()), 10_000);
        return new RawPeer(s);
    }

    static byte[] handshake(ContentId id) {
        return FrameCodec.encode(new Handshake(NodeId.random(new Random(3)), id, Handshake.UNKNOWN_LENGTH,
                Holdings.none()));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(Frame frame) throws IOException {
        send(FrameCodec.encode(frame));
    }

    /** Sends the handshake for {@code id} and reads the holder's. */
    Handshake handshakeFor(ContentId id) throws IOException {
        send(handshake(id));
        return (Handshake) read();
    }

    void getSpan(int requestId, int height, long index) throws IOException {
        send(new GetSpan(requestId, height, index));
    }

    /** Sends a length prefix of {@code length} and then {@code partBytes} of the frame's body. */
    void sendPartOfFrame(int length, int partBytes) throws IOException {
        byte[] head = ByteBuffer.allocate(4 + partBytes).putInt(length).put((byte) 0x06).array();
        send(head);
    }

    /** The next frame; {@link EOFException} when the holder closed. */
    Frame read() throws IOException {
        return readFrame(in);
    }

    /** The next frame from {@code in}, decoded; {@link EOFException} at the end of the stream. */
    static Frame readFrame(DataInputStream in) throws IOException {
        int length = in.readInt();
        byte[] frame = ByteBuffer.allocate(4 + length).putInt(length).array();
        in.readFully(frame, 4, length);
        try {
            return FrameCodec.decodeFrame(frame);
        } catch (FrameException e) {
            throw new AssertionError(e);
        }
    }

    /** True once the holder has closed the connection (reads and drops what is left first). */
    boolean closedByHolder() throws IOException {
        try {
            while (in.read() >= 0) {
                continue;
            }
            return true;
        } catch (SocketException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
