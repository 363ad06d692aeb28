package org.kadshare.overlay.transfer.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * One TLS 1.3 handshake and a little encrypted data between a node's own client and server
 * contexts, in memory, so that the JVM has loaded, initialised and begun to compile its TLS code
 * before the first real connection (on the JDK provider all of TLS, ECDSA, X25519 and AES-GCM; on
 * BoringSSL the native library and Netty's side of the engine). Measured here on the JDK
 * provider: on a cold JVM on a loaded machine, four first handshakes on one thread missed a
 * download's 5 s connect-and-handshake limit, which a warm one never came near. Bounded: at most
 * {@link #MAX_STEPS} engine steps and {@link #RECORDS} records.
 */
final class TlsWarmUp {
    static final int MAX_STEPS = 400;
    static final int RECORDS = 64;

    private TlsWarmUp() {
    }

    /** Runs the handshake and sends {@link #RECORDS} full records; whether the handshake finished. */
    static boolean run(SslContext clientContext, SslContext serverContext) throws SSLException {
        SSLEngine client = clientContext.newEngine(ByteBufAllocator.DEFAULT);
        SSLEngine server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
        int packet = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(),
                server.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(4 * packet);
        ByteBuffer toClient = ByteBuffer.allocate(4 * packet);
        ByteBuffer received = ByteBuffer.allocate(4 * app);
        ByteBuffer nothing = ByteBuffer.allocate(0);
        client.beginHandshake();
        server.beginHandshake();
        for (int i = 0; i < MAX_STEPS && (handshaking(client) || handshaking(server)); i++) {
            boolean moved = step(client, toClient, toServer, nothing, received);
            moved |= step(server, toServer, toClient, nothing, received);
            received.clear();
            if (!moved) {
                return false;
            }
        }
        if (handshaking(client) || handshaking(server)) {
            return false;
        }
        ByteBuffer data = ByteBuffer.allocate(16 * 1024);
        for (int r = 0; r < RECORDS; r++) {
            data.clear();
            toServer.clear();
            client.wrap(data, toServer);
            toServer.flip();
            received.clear();
            server.unwrap(toServer, received);
        }
        client.closeOutbound();
        server.closeOutbound();
        return true;
    }

    private static boolean handshaking(SSLEngine engine) {
        HandshakeStatus s = engine.getHandshakeStatus();
        return s != HandshakeStatus.NOT_HANDSHAKING && s != HandshakeStatus.FINISHED;
    }

    /** One step of {@code engine}: runs its tasks, wraps into {@code out} or unwraps from {@code in}. */
    private static boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer nothing,
            ByteBuffer received) throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> {
                for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                    task.run();
                }
                return true;
            }
            case NEED_WRAP -> {
                SSLEngineResult r = engine.wrap(nothing, out);
                return r.bytesProduced() > 0 || r.getHandshakeStatus() != HandshakeStatus.NEED_WRAP;
            }
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                SSLEngineResult r = engine.unwrap(in, received);
                in.compact();
                return r.bytesConsumed() > 0 || r.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP;
            }
            default -> {
                return false;
            }
        }
    }
}
