package org.kadshare.overlay.transfer;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.kadshare.overlay.transfer.wire.Cancel;
import org.kadshare.overlay.transfer.wire.Choke;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.FrameCodec;
import org.kadshare.overlay.transfer.wire.FrameDecoder;
import org.kadshare.overlay.transfer.wire.FrameEncoder;
import org.kadshare.overlay.transfer.wire.FrameException;
import org.kadshare.overlay.transfer.wire.GetHashes;
import org.kadshare.overlay.transfer.wire.GetSpan;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.LeafRange;
import org.kadshare.overlay.transfer.wire.Limits;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.overlay.transfer.wire.Unchoke;
import org.kadshare.storage.MerkleTree;

/**
 * The downloading side of one block-transfer connection to a holder: connects, exchanges
 * handshakes, tracks which leaves the holder has (its handshake, then HAVE frames), and sends
 * GET_HASHES, GET_SPAN and CANCEL with at most {@code maxOutstanding} requests in flight, each
 * answered by a future of a {@link Response} that carries its size. It checks framing only: the
 * caller verifies every span and hash reply before using it. It reads no clock: a caller that
 * times requests does so with its own.
 *
 * <p>Confined to the connection's event loop, with no lock: every field is touched there only.
 * Requests, cancels and close may be called from any thread (they are handed to the loop); the
 * queries ({@link #peerHas}, {@link #outstanding}, {@link #canRequest}) answer for the loop's
 * thread, or for a thread that saw an event of the loop after the state it asks about (the
 * connect future, a {@link PeerListener} call); futures and listener events complete on the loop.
 */
public final class PeerConnection implements AutoCloseable {
    /**
     * The most one socket read of a downloader takes, where Netty's default stops at 64 KiB: spans
     * of up to 1 MiB arrive in a quarter of the reads (and, encrypted, of the passes through the
     * TLS handler). Each read's buffer is pooled and given back as soon as it is decoded.
     */
    static final int MAX_READ_BYTES = 256 * 1024;

    private final Channel channel;
    private final int maxOutstanding;
    private final PeerListener listener;
    private final Map<Integer, CompletableFuture<Response>> outstanding = new LinkedHashMap<>();
    private Handshake peerHandshake;
    private BitSet peerLeaves;
    private boolean choked;
    private int nextRequestId = 1;
    private TransferException closeCause;

    private PeerConnection(Channel channel, int maxOutstanding, PeerListener listener) {
        this.channel = channel;
        this.maxOutstanding = maxOutstanding;
        this.listener = listener;
    }

    /**
     * Connects to {@code holder} on {@code group}, sends {@code ours} and completes with the
     * connection once the holder's handshake for the same content arrives, or fails with a
     * {@link TransferException} (refused, wrong content, timed out after {@code timeoutMillis}
     * for connect and handshake together, or closed).
     */
    public static CompletableFuture<PeerConnection> connect(EventLoopGroup group, InetSocketAddress holder,
            Handshake ours, long timeoutMillis, int maxOutstanding, PeerListener listener) {
        return connect(group, holder, ours, timeoutMillis, maxOutstanding, listener, ch -> { });
    }

    /**
     * As {@link #connect(EventLoopGroup, InetSocketAddress, Handshake, long, int, PeerListener)},
     * with {@code channelSetup} called on the new channel once its pipeline holds the frame
     * decoder, encoder and handler (the transport security puts TLS in front of them).
     */
    public static CompletableFuture<PeerConnection> connect(EventLoopGroup group, InetSocketAddress holder,
            Handshake ours, long timeoutMillis, int maxOutstanding, PeerListener listener,
            Consumer<SocketChannel> channelSetup) {
        Objects.requireNonNull(ours, "ours");
        Objects.requireNonNull(listener, "listener");
        if (maxOutstanding < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("maxOutstanding and timeoutMillis must be at least 1");
        }
        CompletableFuture<PeerConnection> ready = new CompletableFuture<>();
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, readSizes())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        PeerConnection peer = new PeerConnection(ch, maxOutstanding, listener);
                        ch.pipeline().addLast(new FrameDecoder(), new FrameEncoder(), peer.new Handler(ours, ready));
                        channelSetup.accept(ch);
                    }
                });
        bootstrap.connect(holder).addListener(f -> {
            if (!f.isSuccess()) {
                ready.completeExceptionally(new TransferException(null, "cannot connect to " + holder + ": "
                        + f.cause().getMessage()));
                return;
            }
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            ch.eventLoop().schedule(() -> {
                if (ready.completeExceptionally(new TransferException(null, "no handshake from " + holder
                        + " within " + timeoutMillis + " ms"))) {
                    ch.close();
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        });
        return ready;
    }

    /**
     * Runs the client side on {@code channel}, a connection the holder opened to this node (a
     * reverse connection, taken out of the block server and deregistered): registers it on
     * {@code loop}, sends {@code ours} and completes as {@link #connect} does, within
     * {@code timeoutMillis} for the handshake. {@code channelSetup} is as for {@link #connect}.
     */
    public static CompletableFuture<PeerConnection> adopt(Channel channel, EventLoop loop, Handshake ours,
            long timeoutMillis, int maxOutstanding, PeerListener listener, Consumer<SocketChannel> channelSetup) {
        Objects.requireNonNull(ours, "ours");
        Objects.requireNonNull(listener, "listener");
        if (maxOutstanding < 1 || timeoutMillis < 1) {
            throw new IllegalArgumentException("maxOutstanding and timeoutMillis must be at least 1");
        }
        CompletableFuture<PeerConnection> ready = new CompletableFuture<>();
        Object holder = channel.remoteAddress();
        loop.register(channel).addListener(f -> {
            if (!f.isSuccess()) {
                channel.close();
                ready.completeExceptionally(new TransferException(null, "cannot take over the reverse connection of "
                        + holder + ": " + f.cause().getMessage()));
                return;
            }
            PeerConnection peer = new PeerConnection(channel, maxOutstanding, listener);
            channel.config().setRecvByteBufAllocator(readSizes());
            channel.pipeline().addLast(new FrameDecoder(), new FrameEncoder(), peer.new Handler(ours, ready));
            channelSetup.accept((SocketChannel) channel);
            channel.config().setAutoRead(true);
            channel.pipeline().fireChannelActive();
            loop.schedule(() -> {
                if (ready.completeExceptionally(new TransferException(null, "no handshake from " + holder
                        + " on its reverse connection within " + timeoutMillis + " ms"))) {
                    channel.close();
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        });
        return ready;
    }

    /** The holder's handshake: its node ID, the file length and what it held then. */
    public Handshake peerHandshake() {
        return peerHandshake;
    }

    /** Whether the holder has said it holds leaf {@code leaf}. */
    public boolean peerHas(long leaf) {
        if (peerHandshake.holdings().kind() == Holdings.Kind.COMPLETE) {
            return true;
        }
        return peerLeaves != null && leaf >= 0 && leaf < Integer.MAX_VALUE && peerLeaves.get((int) leaf);
    }

    /** Whether the holder has said it holds every leaf of span {@code (height, index)}. */
    public boolean peerHasSpan(int height, long index) {
        long leafCount = MerkleTree.leafCount(peerHandshake.lengthBytes());
        long first = index << height;
        long end = Math.min(first + (1L << height), leafCount);
        for (long leaf = first; leaf < end; leaf++) {
            if (!peerHas(leaf)) {
                return false;
            }
        }
        return first < leafCount;
    }

    /** Whether the holder has choked this connection (requests wait until it unchokes). */
    public boolean isChoked() {
        return choked;
    }

    /** Requests in flight. */
    public int outstanding() {
        return outstanding.size();
    }

    /** How much a socket read of a downloading connection takes: from 64 bytes to {@link #MAX_READ_BYTES}. */
    private static AdaptiveRecvByteBufAllocator readSizes() {
        return new AdaptiveRecvByteBufAllocator(64, 16 * 1024, MAX_READ_BYTES);
    }

    /** Whether another request may be sent now. */
    public boolean canRequest() {
        return channel.isActive() && outstanding() < maxOutstanding;
    }

    /** Asks for the bytes of span {@code (height, index)}; the reply is a {@code Span} or an {@code ErrorFrame}. */
    public CompletableFuture<Response> getSpan(int height, long index) {
        return send(id -> new GetSpan(id, height, index));
    }

    /** Asks for the leaf hashes of span {@code (height, index)}; the reply is a {@code Hashes} or an {@code ErrorFrame}. */
    public CompletableFuture<Response> getHashes(int height, long index) {
        return send(id -> new GetHashes(id, height, index));
    }

    /**
     * Withdraws the request {@code future} belongs to: it completes exceptionally with a
     * {@link java.util.concurrent.CancellationException} and a late reply is dropped.
     */
    public void cancel(CompletableFuture<Response> future) {
        future.cancel(false);
    }

    /** The peer's address. */
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    /** Completes when the connection has closed. */
    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.closeFuture().addListener(f -> done.complete(null));
        return done;
    }

    /** Sends a connection-level ERROR with {@code code}, then closes as {@link #close} does. */
    public void closeWithError(ErrorCode code, String reason) {
        String bounded = reason.length() > 200 ? reason.substring(0, 200) : reason;
        channel.writeAndFlush(ErrorFrame.connection(code, bounded)).addListener(f -> channel.close());
    }

    /** Closes the connection; outstanding requests fail. Idempotent. */
    @Override
    public void close() {
        channel.close();
    }

    private interface RequestFactory {
        Frame make(int requestId);
    }

    private CompletableFuture<Response> send(RequestFactory factory) {
        CompletableFuture<Response> future = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                future.completeExceptionally(closeCause != null ? closeCause
                        : new TransferException(null, "the connection is closed"));
                return;
            }
            if (outstanding.size() >= maxOutstanding) {
                future.completeExceptionally(new IllegalStateException("already " + maxOutstanding
                        + " requests outstanding"));
                return;
            }
            int id = nextRequestId;
            nextRequestId = nextRequestId == Integer.MAX_VALUE ? 1 : nextRequestId + 1;
            outstanding.put(id, future);
            future.whenComplete((r, e) -> {
                if (future.isCancelled()) {
                    channel.eventLoop().execute(() -> {
                        if (outstanding.remove(id) != null && channel.isActive()) {
                            channel.writeAndFlush(new Cancel(id));
                        }
                    });
                }
            });
            channel.writeAndFlush(factory.make(id));
        });
        return future;
    }

    private void onReply(int requestId, Frame frame) {
        CompletableFuture<Response> waiting = outstanding.remove(requestId);
        if (waiting != null) {
            waiting.complete(new Response(frame, Limits.LENGTH_PREFIX_BYTES + FrameCodec.frameLength(frame)));
        }
    }

    private void onHave(Have have) {
        if (peerHandshake.holdings().kind() == Holdings.Kind.COMPLETE) {
            return;
        }
        if (peerLeaves == null) {
            return;
        }
        long leafCount = MerkleTree.leafCount(peerHandshake.lengthBytes());
        for (LeafRange r : have.ranges()) {
            if (r.firstLeaf() < leafCount) {
                peerLeaves.set((int) r.firstLeaf(), (int) Math.min(r.endLeaf(), leafCount));
            }
        }
        listener.onHave(this, have);
    }

    private void closed() {
        TransferException cause = closeCause != null ? closeCause
                : new TransferException(null, "connection to " + channel.remoteAddress() + " closed");
        List<CompletableFuture<Response>> failed = List.copyOf(outstanding.values());
        outstanding.clear();
        for (CompletableFuture<Response> waiting : failed) {
            waiting.completeExceptionally(cause);
        }
        listener.onClosed(this, closeCause);
    }

    private void acceptHandshake(Handshake theirs, Handshake ours) throws TransferException {
        if (!theirs.contentId().equals(ours.contentId())) {
            throw new TransferException(null, "holder answered for " + theirs.contentId() + ", not " + ours.contentId());
        }
        if (!theirs.knowsLength()) {
            throw new TransferException(null, "holder did not give the length of " + ours.contentId());
        }
        BitSet leaves = null;
        long leafCount = MerkleTree.leafCount(theirs.lengthBytes());
        if (theirs.holdings().kind() != Holdings.Kind.COMPLETE && leafCount <= 8L * Limits.MAX_FRAME_LENGTH_BYTES) {
            leaves = new BitSet((int) leafCount);
            for (int leaf = 0; leaf < leafCount; leaf++) {
                if (theirs.holdings().has(leaf)) {
                    leaves.set(leaf);
                }
            }
        }
        peerHandshake = theirs;
        peerLeaves = leaves;
    }

    private final class Handler extends SimpleChannelInboundHandler<Frame> {
        private final Handshake ours;
        private final CompletableFuture<PeerConnection> ready;

        Handler(Handshake ours, CompletableFuture<PeerConnection> ready) {
            this.ours = ours;
            this.ready = ready;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(ours).addListener(f -> {
                if (f.isSuccess()) {
                    listener.onHandshakeWritten(PeerConnection.this);
                }
            });
            ctx.fireChannelActive();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            try {
                if (peerHandshake == null) {
                    if (frame instanceof Handshake h) {
                        acceptHandshake(h, ours);
                        ready.complete(PeerConnection.this);
                    } else if (frame instanceof ErrorFrame e) {
                        throw new TransferException(e.code(), "holder refused: " + e.code() + " " + e.reason());
                    } else if (!(frame instanceof Choke || frame instanceof Unchoke)) {
                        throw new TransferException(null, "holder sent " + frame.type() + " before its handshake");
                    }
                    return;
                }
                if (frame instanceof Span s) {
                    onReply(s.requestId(), s);
                } else if (frame instanceof Hashes h) {
                    onReply(h.requestId(), h);
                } else if (frame instanceof ErrorFrame e) {
                    if (e.isConnectionError()) {
                        throw new TransferException(e.code(), "holder closed the connection: " + e.code() + " "
                                + e.reason());
                    }
                    onReply(e.requestId(), e);
                } else if (frame instanceof Have h) {
                    onHave(h);
                } else if (frame instanceof Choke) {
                    choked = true;
                    listener.onChoke(PeerConnection.this, true);
                } else if (frame instanceof Unchoke) {
                    choked = false;
                    listener.onChoke(PeerConnection.this, false);
                }
            } catch (TransferException e) {
                closeCause = e;
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            FrameException bad = FrameDecoder.frameException(cause);
            closeCause = new TransferException(bad != null ? bad.code() : null, "connection to "
                    + ctx.channel().remoteAddress() + " failed: " + cause.getMessage());
            if (bad != null) {
                ctx.writeAndFlush(ErrorFrame.connection(bad.code(), bad.getMessage()))
                        .addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ready.completeExceptionally(closeCause != null ? closeCause
                    : new TransferException(null, "holder closed the connection during the handshake"));
            closed();
        }
    }
}
