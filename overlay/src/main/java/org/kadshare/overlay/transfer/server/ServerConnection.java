package org.kadshare.overlay.transfer.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.FrameDecoder;
import org.kadshare.overlay.transfer.wire.FrameException;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.overlay.transfer.wire.SpanFromFile;
import org.kadshare.overlay.transfer.wire.SpanInBuffer;
import org.kadshare.storage.ContentChangedException;
import org.kadshare.storage.ContentId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty side of one peer's connection to the server: it feeds the connection's events to its
 * {@link UploadCore}, which decides everything, and does what the core asks: frames written,
 * replies read on a disk thread and written back on the event loop, the content looked up and
 * distrusted, the connection closed. Every method runs on the event loop.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter implements UploadEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

    private final BlockServer server;
    private final FrameDecoder decoder;
    private Channel channel;
    private InetAddress remoteIp;
    private boolean admitted;
    private UploadCore core;
    private HeldContent content;
    private UploadSession session;

    ServerConnection(BlockServer server, FrameDecoder decoder) {
        this.server = server;
        this.decoder = decoder;
    }

    /** The connection's channel, once it is active. */
    Channel channel() {
        return channel;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        remoteIp = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        String refused = server.register(this);
        if (refused != null) {
            LOG.debug("Refusing a connection from {}: {}", channel.remoteAddress(), refused);
            close(ErrorCode.BUSY, refused, true);
            return;
        }
        admitted = true;
        core = new UploadCore(this, server.scheduler(), server.config(), server.nodeId(), remoteIp);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            admitted = false;
            server.unregister(this);
        }
        if (session != null) {
            server.uploadLedger().end(session, server.nanoTime());
        }
        if (core != null) {
            core.closed();
        }
    }

    /**
     * The connection leaves the server before its first frame (a reverse connection handed to a
     * download, {@link ReverseAccept}): no longer counted against the limits or swept.
     */
    void handOff() {
        if (admitted) {
            admitted = false;
            server.unregister(this);
        }
        core = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (core != null) {
            core.frameIn((Frame) msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (core != null) {
            core.writabilityChanged(writable);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        FrameException bad = FrameDecoder.frameException(cause);
        if (bad != null && core != null) {
            LOG.debug("Bad frame from {}: {}", channel.remoteAddress(), bad.getMessage());
            core.badFrame(bad.code(), bad.getMessage());
        } else {
            LOG.debug("Connection from {} failed", channel.remoteAddress(), cause);
            channel.close();
        }
    }

    /** The server's sweep: the core judges the transport's progress. */
    void checkProgress() {
        if (core == null || !channel.isActive()) {
            return;
        }
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        core.tick(decoder.partialFrameStartNanos(), decoder.bufferedBytes(),
                out == null ? 0 : out.totalPendingWriteBytes());
    }

    /** This node gained leaves of {@code id}. */
    void sendHave(ContentId id, Have have) {
        if (core != null) {
            core.have(id, have);
        }
    }

    InetAddress remoteIp() {
        return remoteIp;
    }

    @Override
    public long nowNanos() {
        return server.nanoTime();
    }

    @Override
    public UploadCore.Offer offer(ContentId id) {
        try {
            content = server.find(id);
            return UploadCore.Offer.of(content.lengthBytes(), content.holdings());
        } catch (ContentChangedException e) {
            return UploadCore.Offer.refused(ErrorCode.CHANGED_ON_DISK, "content " + id + " changed on disk and is not served");
        } catch (NoSuchElementException e) {
            return UploadCore.Offer.refused(ErrorCode.NOT_HELD, "this node does not hold " + id);
        }
    }

    @Override
    public void sessionBegan(ContentId id, long lengthBytes) {
        session = server.uploadLedger().begin((InetSocketAddress) channel.remoteAddress(), id, lengthBytes,
                server.nanoTime());
    }

    @Override
    public void send(Frame frame) {
        channel.writeAndFlush(frame);
    }

    @Override
    public void read(PendingRequest request) {
        HeldContent source = content;
        CompletableFuture<Object> read;
        try {
            ByteBufAllocator intoMemory = TransportSecurity.isEncrypted(channel) ? channel.alloc() : null;
            read = CompletableFuture.supplyAsync(() -> readReply(source, request, intoMemory), server.diskExecutor());
        } catch (RejectedExecutionException e) {
            read = CompletableFuture.completedFuture((Object) ErrorFrame.request(request.requestId(), ErrorCode.SERVER_ERROR,
                    "the server is shutting down"));
        }
        read.whenComplete((frame, error) -> channel.eventLoop().execute(() -> core.replyRead(request, error == null
                ? frame : ErrorFrame.request(request.requestId(), ErrorCode.SERVER_ERROR, "read failed: "
                        + error.getMessage()))));
    }

    /**
     * The reply to {@code r}; a span goes from the file to the socket unless {@code intoMemory} is
     * given (TLS needs its bytes): then it is read into a buffer of that allocator.
     */
    private static Object readReply(HeldContent source, PendingRequest r, ByteBufAllocator intoMemory) {
        int id = r.requestId();
        try {
            if (!r.wantsData()) {
                return source.hashes(id, r.height(), r.index());
            }
            Object reply = source.spanReply(id, r.height(), r.index());
            return intoMemory != null && reply instanceof SpanFromFile s ? s.readInto(intoMemory) : reply;
        } catch (NotHeldException | NoSuchElementException e) {
            return ErrorFrame.request(id, ErrorCode.NOT_HELD, e.getMessage());
        } catch (ContentChangedException e) {
            return ErrorFrame.request(id, ErrorCode.CHANGED_ON_DISK, "the file changed on disk and is not served");
        } catch (IllegalArgumentException e) {
            return ErrorFrame.request(id, ErrorCode.BAD_REQUEST, e.getMessage());
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Serving request {} ({}, {}) failed", id, r.height(), r.index(), e);
            return ErrorFrame.request(id, ErrorCode.SERVER_ERROR, "read failed: " + e.getMessage());
        }
    }

    @Override
    public void discardReply(Object reply) {
        ReferenceCountUtil.release(reply);
    }

    @Override
    public void sendReply(Object reply) {
        if (reply instanceof Span s) {
            server.countServed(session, s.proof().spanLengthBytes(), false);
        } else if (reply instanceof SpanInBuffer s) {
            server.countServed(session, s.proof().spanLengthBytes(), false);
        } else if (reply instanceof SpanFromFile s) {
            server.countServed(session, s.proof().spanLengthBytes(), true);
        }
        channel.writeAndFlush(reply).addListener(f -> core.replyDrained());
    }

    @Override
    public void distrust() {
        LOG.info("{} reports a span of {} that failed verification; hashing its leaves again", channel.remoteAddress(),
                core.contentId());
        content.reportedBad();
    }

    @Override
    public void close(ErrorCode code, String reason, boolean drainFirst) {
        LOG.debug("Closing the connection from {}: {}", channel.remoteAddress(), reason);
        channel.config().setAutoRead(false);
        if (drainFirst) {
            channel.writeAndFlush(ErrorFrame.connection(code, reason)).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.writeAndFlush(ErrorFrame.connection(code, reason));
            channel.close();
        }
    }
}
