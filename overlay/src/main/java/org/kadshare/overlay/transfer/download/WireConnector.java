package org.kadshare.overlay.transfer.download;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.kadshare.overlay.transfer.PeerConnection;
import org.kadshare.overlay.transfer.PeerListener;
import org.kadshare.overlay.transfer.Response;
import org.kadshare.overlay.transfer.TransferException;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;

/**
 * {@link PeerConnector} over the block-transfer client ({@link PeerConnection}), on one Netty
 * event-loop thread of its own shared by every connection of one download, which is also the
 * thread the download's core runs on (its {@link #loop()}). The handshake round trip (connect
 * plus handshake, so an overestimate), timed by the download's clock, seeds each peer's RTT;
 * per-request RTTs are not used, since on a pipelined connection they include the time a reply
 * queued behind the previous ones. Every event of a link starts on that one loop, so the links
 * keep their state without locks. A holder that cannot be reached ({@link ReverseLinks}) is not
 * connected to: the connection it opens to this node on request is taken over instead, on the
 * same loop and with the same handshake and timeouts.
 */
final class WireConnector implements PeerConnector {
    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final long connectTimeoutMillis;
    private final int maxOutstanding;
    private final TransportSecurity security;
    private final ReverseLinks reverse;

    WireConnector(DownloadOptions options) {
        this.security = options.security();
        this.reverse = options.reverse();
        this.connectTimeoutMillis = options.connectTimeoutMillis();
        this.maxOutstanding = 2 * options.schedule().maxDepth() + 8;
    }

    @Override
    public CompletableFuture<PeerLink> connect(InetSocketAddress holder, Handshake ours, PeerEvents events,
            LongSupplier clock) {
        long started = clock.getAsLong();
        Forwarder forwarder = new Forwarder(events);
        Optional<CompletableFuture<Channel>> reversed = reverse.open(ours.contentId(), holder, connectTimeoutMillis);
        CompletableFuture<PeerConnection> connecting = reversed.isPresent()
                ? reversed.get().thenCompose(ch -> security.adopt(ch, group.next(), ours, connectTimeoutMillis,
                        maxOutstanding, forwarder))
                : security.connect(group, holder, ours, connectTimeoutMillis, maxOutstanding, forwarder);
        return connecting
                .thenApply(connection -> {
                    forwarder.open = true;
                    return new Link(connection, events, clock.getAsLong() - started);
                });
    }

    @Override
    public ScheduledExecutorService loop() {
        return group.next();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static final class Forwarder implements PeerListener {
        private final PeerEvents events;
        boolean open;

        Forwarder(PeerEvents events) {
            this.events = events;
        }

        @Override
        public void onHave(PeerConnection peer, Have have) {
            events.have(have);
        }

        @Override
        public void onChoke(PeerConnection peer, boolean choked) {
            events.choked(choked);
        }

        @Override
        public void onClosed(PeerConnection peer, TransferException cause) {
            if (open) {
                events.closed(cause == null ? "the holder closed the connection" : cause.getMessage());
            }
        }
    }

    private static final class Link implements PeerLink {
        private final PeerConnection connection;
        private final PeerEvents events;
        private final long handshakeRttNanos;
        private final Map<Long, CompletableFuture<Response>> pending = new HashMap<>();

        Link(PeerConnection connection, PeerEvents events, long handshakeRttNanos) {
            this.connection = connection;
            this.events = events;
            this.handshakeRttNanos = handshakeRttNanos;
        }

        @Override
        public Holdings holdings() {
            return connection.peerHandshake().holdings();
        }

        @Override
        public long lengthBytes() {
            return connection.peerHandshake().lengthBytes();
        }

        @Override
        public long handshakeRttNanos() {
            return handshakeRttNanos;
        }

        @Override
        public void requestSpan(long token, int height, long index) {
            track(token, connection.getSpan(height, index));
        }

        @Override
        public void requestHashes(long token, int height, long index) {
            track(token, connection.getHashes(height, index));
        }

        private void track(long token, CompletableFuture<Response> future) {
            pending.put(token, future);
            future.whenComplete((response, error) -> {
                pending.remove(token);
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    if (!(cause instanceof CancellationException)) {
                        events.closed(String.valueOf(cause.getMessage()));
                        connection.close();
                    }
                    return;
                }
                if (response.frame() instanceof Span span) {
                    events.spanArrived(token, span);
                } else if (response.frame() instanceof Hashes hashes) {
                    events.hashesArrived(token, hashes);
                } else if (response.frame() instanceof ErrorFrame e) {
                    events.requestFailed(token, e.code() == ErrorCode.BUSY, e.code() + ": " + e.reason());
                } else {
                    events.requestFailed(token, false, "unexpected reply " + response.frame().type());
                }
            });
        }

        @Override
        public void cancel(long token) {
            CompletableFuture<Response> future = pending.remove(token);
            if (future != null) {
                connection.cancel(future);
            }
        }

        @Override
        public void close() {
            connection.close();
        }

        @Override
        public void reject(String reason) {
            connection.closeWithError(ErrorCode.BAD_DATA, reason);
        }
    }
}
