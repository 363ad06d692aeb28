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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.overlay.transfer.wire.Cancel;
import org.kadshare.overlay.transfer.wire.Choke;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.FrameDecoder;
import org.kadshare.overlay.transfer.wire.FrameException;
import org.kadshare.overlay.transfer.wire.GetHashes;
import org.kadshare.overlay.transfer.wire.GetSpan;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Limits;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.overlay.transfer.wire.SpanFromFile;
import org.kadshare.overlay.transfer.wire.SpanInBuffer;
import org.kadshare.overlay.transfer.wire.Unchoke;
import org.kadshare.storage.ContentChangedException;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's connection to the server: the handshake, its queue of requests (at most
 * {@code maxOutstandingPerPeer}; more are refused with BUSY) and the reply being served. The
 * {@link UploadScheduler} decides when a request is served; this class does it: the read on a disk
 * thread, the reply written back on the event loop. It also keeps the clocks {@link ProgressRule}
 * judges (handshake, frame in, reply out, idle), read by the server's sweep. Every method runs on
 * the event loop.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ServerConnection.class);

    private final BlockServer server;
    private final FrameDecoder decoder;
    private final LinkedHashMap<Integer, PendingRequest> pending = new LinkedHashMap<>();
    private Channel channel;
    private InetAddress remoteIp;
    private boolean admitted;
    private long acceptedNanos;
    private long idleSinceNanos;
    private long frameStartNanos;
    private int frameBytes;
    private long frameMovedNanos;
    private long replyStartNanos;
    private long replyBytes;
    private long replyPendingBytes;
    private long replyMovedNanos;
    private ContentId contentId;
    private HeldContent content;
    private UploadSession session;
    private boolean hasSlot;
    private boolean choked;
    private boolean active;
    private PendingRequest serving;
    private boolean servingCancelled;

    ServerConnection(BlockServer server, FrameDecoder decoder) {
        this.server = server;
        this.decoder = decoder;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        active = true;
        acceptedNanos = server.nanoTime();
        remoteIp = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        String refused = server.register(this);
        if (refused != null) {
            LOG.debug("Refusing a connection from {}: {}", channel.remoteAddress(), refused);
            fail(ErrorCode.BUSY, refused);
            return;
        }
        admitted = true;
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        active = false;
        pending.clear();
        if (admitted) {
            admitted = false;
            server.unregister(this);
        }
        if (session != null) {
            server.uploadLedger().end(session, server.nanoTime());
        }
        server.scheduler().closed(this);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Frame frame = (Frame) msg;
        if (content == null) {
            if (frame instanceof Handshake h) {
                handshake(h);
            } else {
                fail(ErrorCode.BAD_REQUEST, "the first frame must be a HANDSHAKE, got " + frame.type());
            }
            return;
        }
        if (frame instanceof GetSpan g) {
            accept(g.requestId(), true, g.height(), g.index());
        } else if (frame instanceof GetHashes g) {
            accept(g.requestId(), false, g.height(), g.index());
        } else if (frame instanceof Cancel c) {
            cancel(c.requestId());
        } else if (frame instanceof Handshake) {
            fail(ErrorCode.BAD_REQUEST, "a second HANDSHAKE on one connection");
        } else if (frame instanceof ErrorFrame e && e.code() == ErrorCode.BAD_DATA) {
            LOG.info("{} reports a span of {} that failed verification; hashing its leaves again", channel.remoteAddress(),
                    contentId);
            content.reportedBad();
        }
    }

    private void handshake(Handshake h) {
        HeldContent found;
        try {
            found = server.find(h.contentId());
        } catch (ContentChangedException e) {
            fail(ErrorCode.CHANGED_ON_DISK, "content " + h.contentId() + " changed on disk and is not served");
            return;
        } catch (NoSuchElementException e) {
            fail(ErrorCode.NOT_HELD, "this node does not hold " + h.contentId());
            return;
        }
        if (h.knowsLength() && h.lengthBytes() != found.lengthBytes()) {
            fail(ErrorCode.BAD_REQUEST, "content " + h.contentId() + " is " + found.lengthBytes() + " bytes, not "
                    + h.lengthBytes());
            return;
        }
        contentId = h.contentId();
        content = found;
        session = server.uploadLedger().begin((InetSocketAddress) channel.remoteAddress(), contentId,
                found.lengthBytes(), server.nanoTime());
        idleSinceNanos = server.nanoTime();
        channel.writeAndFlush(new Handshake(server.nodeId(), contentId, found.lengthBytes(), found.holdings()));
    }

    private void accept(int requestId, boolean wantsData, int height, long index) {
        if (pending.containsKey(requestId) || (serving != null && serving.requestId() == requestId)) {
            refuse(requestId, ErrorCode.BAD_REQUEST, "request " + requestId + " is already outstanding");
            return;
        }
        if (pending.size() >= server.config().maxOutstandingPerPeer()) {
            refuse(requestId, ErrorCode.BUSY, "more than " + server.config().maxOutstandingPerPeer()
                    + " outstanding requests");
            return;
        }
        long length = content.lengthBytes();
        long leaves = MerkleTree.leafCount(length);
        if (height > MerkleTree.treeHeight(length) || index > (leaves - 1) >>> height) {
            refuse(requestId, ErrorCode.BAD_REQUEST, "span (" + height + ", " + index + ") does not exist in a file of "
                    + length + " bytes");
            return;
        }
        long first = index << height;
        long count = Math.min(1L << height, leaves - first);
        long replyBytes;
        if (wantsData) {
            replyBytes = first + count == leaves ? length - first * MerkleTree.LEAF_SIZE_BYTES
                    : count * MerkleTree.LEAF_SIZE_BYTES;
            if (replyBytes > Limits.MAX_SPAN_BYTES) {
                refuse(requestId, ErrorCode.TOO_LARGE, "span (" + height + ", " + index + ") is " + replyBytes
                        + " bytes, more than " + Limits.MAX_SPAN_BYTES);
                return;
            }
        } else {
            if (!Hashes.fits(length, height, index)) {
                refuse(requestId, ErrorCode.TOO_LARGE, "the hashes of span (" + height + ", " + index
                        + ") do not fit in one frame");
                return;
            }
            replyBytes = count * MerkleTree.HASH_LENGTH_BYTES;
        }
        pending.put(requestId, new PendingRequest(requestId, wantsData, height, index, replyBytes));
        idleSinceNanos = server.nanoTime();
        server.scheduler().requestArrived(this);
    }

    private void cancel(int requestId) {
        if (pending.remove(requestId) != null) {
            server.scheduler().queueEmptied(this);
        } else if (serving != null && serving.requestId() == requestId) {
            servingCancelled = true;
        }
    }

    void serve(PendingRequest request) {
        serving = request;
        servingCancelled = false;
        HeldContent source = content;
        CompletableFuture<Object> read;
        try {
            ByteBufAllocator intoMemory = TransportSecurity.isEncrypted(channel) ? channel.alloc() : null;
            read = CompletableFuture.supplyAsync(() -> readReply(source, request, intoMemory), server.diskExecutor());
        } catch (RejectedExecutionException e) {
            read = CompletableFuture.completedFuture((Object) ErrorFrame.request(request.requestId(), ErrorCode.SERVER_ERROR,
                    "the server is shutting down"));
        }
        read.whenComplete((frame, error) -> channel.eventLoop().execute(() -> finish(request, frame, error)));
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

    private void finish(PendingRequest request, Object frame, Throwable error) {
        Object reply = error != null
                ? ErrorFrame.request(request.requestId(), ErrorCode.SERVER_ERROR, "read failed: " + error.getMessage())
                : frame;
        if (!active || servingCancelled) {
            ReferenceCountUtil.release(reply);
            done();
            return;
        }
        if (reply instanceof Span s) {
            server.countServed(session, s.proof().spanLengthBytes(), false);
        } else if (reply instanceof SpanInBuffer s) {
            server.countServed(session, s.proof().spanLengthBytes(), false);
        } else if (reply instanceof SpanFromFile s) {
            server.countServed(session, s.proof().spanLengthBytes(), true);
        }
        replyStartNanos = server.nanoTime();
        replyMovedNanos = replyStartNanos;
        replyBytes = request.replyBytes();
        replyPendingBytes = Long.MAX_VALUE;
        channel.writeAndFlush(reply).addListener(f -> done());
    }

    private void done() {
        serving = null;
        replyStartNanos = 0;
        idleSinceNanos = server.nanoTime();
        server.scheduler().served(this);
    }

    /**
     * Closes the connection, with a connection ERROR {@code TOO_SLOW}, if {@link ProgressRule}
     * says it has stopped making progress; called by the server's sweep.
     */
    void checkProgress(ProgressRule rule, long nowNanos) {
        if (!active) {
            return;
        }
        long start = decoder.partialFrameStartNanos();
        int buffered = decoder.bufferedBytes();
        if (start != frameStartNanos || buffered != frameBytes) {
            frameStartNanos = start;
            frameBytes = buffered;
            frameMovedNanos = nowNanos;
        }
        long drained = 0;
        if (replyStartNanos != 0) {
            ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
            long pendingBytes = out == null ? 0 : out.totalPendingWriteBytes();
            if (pendingBytes < replyPendingBytes) {
                replyPendingBytes = pendingBytes;
                replyMovedNanos = nowNanos;
            }
            drained = Math.max(0, replyBytes - pendingBytes);
        }
        String verdict = rule.verdict(new ProgressRule.Snapshot(acceptedNanos, content != null,
                serving != null || !pending.isEmpty(), idleSinceNanos, frameStartNanos, frameBytes, frameMovedNanos,
                replyStartNanos, drained, replyMovedNanos), nowNanos);
        if (verdict != null) {
            LOG.debug("Closing the connection from {}: {}", channel.remoteAddress(), verdict);
            pending.clear();
            channel.config().setAutoRead(false);
            channel.writeAndFlush(ErrorFrame.connection(ErrorCode.TOO_SLOW, verdict));
            channel.close();
        }
    }

    InetAddress remoteIp() {
        return remoteIp;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = ctx.channel().isWritable();
        ctx.channel().config().setAutoRead(writable);
        if (writable) {
            server.scheduler().writable(this);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        FrameException bad = FrameDecoder.frameException(cause);
        if (bad != null) {
            LOG.debug("Bad frame from {}: {}", channel.remoteAddress(), bad.getMessage());
            fail(bad.code(), bad.getMessage());
        } else {
            LOG.debug("Connection from {} failed", channel.remoteAddress(), cause);
            channel.close();
        }
    }

    private void refuse(int requestId, ErrorCode code, String reason) {
        channel.writeAndFlush(ErrorFrame.request(requestId, code, reason));
    }

    private void fail(ErrorCode code, String reason) {
        pending.clear();
        channel.config().setAutoRead(false);
        channel.writeAndFlush(ErrorFrame.connection(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    void choke() {
        if (!choked) {
            choked = true;
            channel.writeAndFlush(new Choke());
        }
    }

    void grantSlot() {
        hasSlot = true;
        if (choked) {
            choked = false;
            channel.writeAndFlush(new Unchoke());
        }
    }

    void revokeSlot() {
        hasSlot = false;
    }

    void sendHave(ContentId id, org.kadshare.overlay.transfer.wire.Have have) {
        if (id.equals(contentId) && active) {
            channel.writeAndFlush(have);
        }
    }

    boolean hasSlot() {
        return hasSlot;
    }

    boolean isServing() {
        return serving != null;
    }

    boolean isActive() {
        return active;
    }

    boolean isWritable() {
        return active && channel.isWritable();
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }

    PendingRequest peekRequest() {
        Iterator<PendingRequest> it = pending.values().iterator();
        return it.hasNext() ? it.next() : null;
    }

    PendingRequest takeRequest() {
        Iterator<PendingRequest> it = pending.values().iterator();
        PendingRequest r = it.next();
        it.remove();
        return r;
    }
}
