package org.kadshare.overlay.transfer.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLException;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.PeerConnection;
import org.kadshare.overlay.transfer.PeerListener;
import org.kadshare.overlay.transfer.TransferException;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.FrameDecoder;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.storage.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the block protocol is protected on one node: its {@link Encryption} setting and, unless it
 * refuses encryption, TLS 1.3 ({@link TlsProvider}) keyed by the node's Ed25519 identity, both
 * ways (the holder and the getter each present their {@link IdentityCertificate}). It sets up the
 * channels the block server accepts ({@link #initServerChannel}) and opens connections to holders
 * ({@link #connect}), falling back to clear under {@code prefer} when a holder answers in clear.
 * docs/PROTOCOL.md section 5.1 has the wire rules.
 */
public final class TransportSecurity {
    private static final Logger LOG = LoggerFactory.getLogger(TransportSecurity.class);
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    /**
     * AES-GCM (in the CPU's AES instructions on x86-64 and ARMv8), 128 first, and ChaCha20-Poly1305
     * for CPUs without them: BoringSSL always enables exactly these three in TLS 1.3.
     */
    private static final List<String> CIPHER_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");

    /**
     * Plaintext bytes BoringSSL encrypts per call: 16 TLS records of 16 KiB at once, into one
     * buffer and one write, where the default is one record per call. The JDK's engine makes one
     * record per call whatever it is given, so it keeps Netty's default.
     */
    static final int NATIVE_WRAP_BYTES = 16 * 16 * 1024;

    private final Encryption mode;
    private final int wrapBytes;
    private final SslContext serverContext;
    private final SslContext clientContext;
    private final LongAdder encrypted = new LongAdder();
    private final LongAdder clear = new LongAdder();
    private final LongAdder refused = new LongAdder();

    private TransportSecurity(Encryption mode, int wrapBytes, SslContext serverContext, SslContext clientContext) {
        this.mode = mode;
        this.wrapBytes = wrapBytes;
        this.serverContext = serverContext;
        this.clientContext = clientContext;
    }

    /** No encryption at all (as {@code refuse}), for programs and tests that have no identity. */
    public static TransportSecurity clear() {
        return new TransportSecurity(Encryption.REFUSE, 0, null, null);
    }

    /**
     * {@code mode}, with TLS keyed by {@code identity} for node {@code nodeId} unless it is
     * {@code refuse}.
     */
    public static TransportSecurity of(Encryption mode, NodeIdentity identity, NodeId nodeId) {
        return of(mode, identity, nodeId, TlsProvider.best());
    }

    /** As {@link #of(Encryption, NodeIdentity, NodeId)}, on {@code provider}. */
    static TransportSecurity of(Encryption mode, NodeIdentity identity, NodeId nodeId, SslProvider provider) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(nodeId, "nodeId");
        if (mode == Encryption.REFUSE) {
            return clear();
        }
        IdentityCertificate own = IdentityCertificate.create(identity, nodeId, Instant.now());
        try {
            SslContext server = SslContextBuilder.forServer(own.tlsKeys().getPrivate(), own.certificate())
                    .sslProvider(provider).protocols(PROTOCOLS).ciphers(CIPHER_SUITES)
                    .trustManager(IdentityTrust.INSTANCE).clientAuth(ClientAuth.REQUIRE).build();
            SslContext client = SslContextBuilder.forClient().keyManager(own.tlsKeys().getPrivate(), own.certificate())
                    .sslProvider(provider).protocols(PROTOCOLS).ciphers(CIPHER_SUITES)
                    .trustManager(IdentityTrust.INSTANCE).build();
            return new TransportSecurity(mode, provider == SslProvider.JDK ? 0 : NATIVE_WRAP_BYTES, server, client);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS 1.3 on " + provider + ": " + e.getMessage(), e);
        }
    }

    /** The setting. */
    public Encryption mode() {
        return mode;
    }

    /**
     * Connections that went encrypted so far: accepted ones whose peer opened TLS, and opened ones
     * that completed their handshake inside TLS.
     */
    public long encryptedConnections() {
        return encrypted.sum();
    }

    /** Connections that went clear so far, accepted or opened (the same way as {@link #encryptedConnections}). */
    public long clearConnections() {
        return clear.sum();
    }

    /** Accepted connections refused because their peer's choice (TLS or clear) is not allowed here. */
    public long refusedConnections() {
        return refused.sum();
    }

    /**
     * Warms the JDK's TLS code up on a daemon thread (see {@link TlsWarmUp}), so the first real
     * handshakes are quick; nothing for {@code refuse}. Returns at once.
     */
    public void warmUpInBackground() {
        if (clientContext == null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                if (!warmUp()) {
                    LOG.debug("The TLS warm-up handshake did not finish");
                }
            } catch (SSLException | RuntimeException e) {
                LOG.debug("The TLS warm-up failed", e);
            }
        }, "tls-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Runs the warm-up here; whether its handshake finished (false for {@code refuse}). */
    boolean warmUp() throws SSLException {
        return clientContext != null && TlsWarmUp.run(clientContext, serverContext);
    }

    /** Whether {@code channel} runs inside TLS (decided once its peer's first byte arrived). */
    public static boolean isEncrypted(Channel channel) {
        return channel.pipeline().get(SslHandler.class) != null;
    }

    /** The identity the peer on {@code channel} proved and claimed, or null (clear, or not yet). */
    public static PeerIdentity peerIdentity(Channel channel) {
        return channel.attr(ClaimCheck.PEER_IDENTITY).get();
    }

    /**
     * Puts the encryption decision in front of an accepted channel whose pipeline already holds
     * the block protocol's handlers: TLS, clear, or a refusal, by the peer's first byte. A TLS
     * handshake gets at most {@code handshakeTimeoutMillis} (the block server's handshake limit
     * then also bounds it, as it waits for the HANDSHAKE frame that only comes after).
     */
    public void initServerChannel(SocketChannel ch, long handshakeTimeoutMillis) {
        ch.pipeline().addFirst(new ServerSniffer(mode, encrypted, clear, refused, ctx -> {
            SslHandler ssl = newHandler(serverContext, ctx.alloc(), handshakeTimeoutMillis);
            ctx.pipeline().addAfter(ctx.name(), null, ssl);
            addClaimCheck(ctx.pipeline());
        }));
    }

    private SslHandler newHandler(SslContext context, ByteBufAllocator alloc, long handshakeTimeoutMillis) {
        SslHandler ssl = context.newHandler(alloc);
        ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        if (wrapBytes > 0) {
            ssl.setWrapDataSize(wrapBytes);
        }
        return ssl;
    }

    private static void addClaimCheck(ChannelPipeline pipeline) {
        pipeline.addAfter(pipeline.context(FrameDecoder.class).name(), null, new ClaimCheck());
    }

    /**
     * Connects to {@code holder} as {@link PeerConnection#connect} does, encrypted or not as the
     * setting says: {@code require} and {@code prefer} open TLS; a holder that answers in clear
     * fails the attempt under {@code require}, and under {@code prefer} is connected to again in
     * clear; either way a clear BUSY (a holder refuses a connection over its limits before it
     * reads a byte) fails the attempt as BUSY, and a later attempt tries TLS again.
     * {@code refuse} connects in clear. {@code timeoutMillis} bounds each attempt.
     */
    public CompletableFuture<PeerConnection> connect(EventLoopGroup group, InetSocketAddress holder,
            Handshake ours, long timeoutMillis, int maxOutstanding, PeerListener listener) {
        if (mode == Encryption.REFUSE) {
            return counted(PeerConnection.connect(group, holder, ours, timeoutMillis, maxOutstanding, listener), clear);
        }
        ClientSniffer sniffer = new ClientSniffer();
        return counted(PeerConnection.connect(group, holder, ours, timeoutMillis, maxOutstanding, listener,
                ch -> installClient(ch, sniffer, timeoutMillis)), encrypted)
                .handle((connection, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(connection);
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (!sniffer.answeredInClear()) {
                        return CompletableFuture.<PeerConnection>failedFuture(cause);
                    }
                    ErrorCode code = cause instanceof TransferException t ? t.code() : null;
                    if (code == ErrorCode.BUSY) { // refused before it saw our ClientHello: later, in TLS again
                        return CompletableFuture.<PeerConnection>failedFuture(cause);
                    }
                    if (mode == Encryption.REQUIRE) {
                        return CompletableFuture.<PeerConnection>failedFuture(new TransferException(code, "holder "
                                + holder + " does not encrypt and encryption is required (it answered in clear: "
                                + cause.getMessage() + ")"));
                    }
                    LOG.debug("Holder {} answered TLS in clear ({}); connecting again in clear", holder,
                            cause.getMessage());
                    return counted(PeerConnection.connect(group, holder, ours, timeoutMillis, maxOutstanding,
                            listener), clear);
                })
                .thenCompose(f -> f);
    }

    /**
     * Runs the client side on a reverse connection (one the holder opened, see
     * {@link PeerConnection#adopt}), on {@code loop}: TLS as this node's client under
     * {@code require} and {@code prefer} (the roles of the connection's opener and acceptor
     * swapped; there is no second try in clear, since the holder cannot be connected to again),
     * clear under {@code refuse}.
     */
    public CompletableFuture<PeerConnection> adopt(Channel channel, EventLoop loop, Handshake ours,
            long timeoutMillis, int maxOutstanding, PeerListener listener) {
        if (mode == Encryption.REFUSE) {
            return counted(PeerConnection.adopt(channel, loop, ours, timeoutMillis, maxOutstanding, listener,
                    ch -> { }), clear);
        }
        ClientSniffer sniffer = new ClientSniffer();
        return counted(PeerConnection.adopt(channel, loop, ours, timeoutMillis, maxOutstanding, listener,
                ch -> installClient(ch, sniffer, timeoutMillis)), encrypted);
    }

    private static CompletableFuture<PeerConnection> counted(CompletableFuture<PeerConnection> connecting,
            LongAdder count) {
        return connecting.whenComplete((c, e) -> {
            if (e == null) {
                count.increment();
            }
        });
    }

    private void installClient(SocketChannel ch, ClientSniffer sniffer, long timeoutMillis) {
        SslHandler ssl = newHandler(clientContext, ch.alloc(), timeoutMillis);
        ch.pipeline().addFirst(ssl);
        ch.pipeline().addFirst(sniffer);
        addClaimCheck(ch.pipeline());
    }
}
