package org.kadshare.overlay.transfer.server;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Objects;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.wire.Cancel;
import org.kadshare.overlay.transfer.wire.Choke;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.GetHashes;
import org.kadshare.overlay.transfer.wire.GetSpan;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Limits;
import org.kadshare.overlay.transfer.wire.Unchoke;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;

/**
 * One holder-side upload session as a state machine without I/O: the HANDSHAKE, the peer's queue
 * of requests, the reply being served, and the clocks {@link ProgressRule} judges. It is driven by
 * events (frame in, bad frame, reply read from disk, reply drained to the socket, writability,
 * tick with the transport's state, closed) and acts through an {@link UploadEnvironment} (offer,
 * send a frame, read a reply, send it, distrust the content, close with a reason). Who is served
 * when is the {@link UploadScheduler}'s decision, shared by every session of a server.
 *
 * <p>Design note. Everything a peer controls is bounded here or before: at most
 * {@code maxOutstandingPerPeer} queued requests (more get BUSY), one reply read or written at a
 * time, requests checked against the file's tree before they are queued (a span past the end,
 * one larger than {@link Limits#MAX_SPAN_BYTES} or hashes that do not fit in a frame are refused
 * with the reason), and every state the peer can hold the session in has a clock (no handshake,
 * a frame or reply moving too slowly, idle). A BAD_DATA complaint makes the content distrusted, so
 * the next span is hashed again before it is served. Runs on one thread; no locks, no clock of
 * its own.
 */
public final class UploadCore {
    /**
     * What this node answers a HANDSHAKE with: the content's length and holdings, or a refusal.
     *
     * @param refusal null when the content is served, else the error code of the refusal
     * @param reason  the refusal's reason, or null
     */
    public record Offer(long lengthBytes, Holdings holdings, ErrorCode refusal, String reason) {
        /** Content served: {@code lengthBytes} long, holding {@code holdings}. */
        public static Offer of(long lengthBytes, Holdings holdings) {
            return new Offer(lengthBytes, Objects.requireNonNull(holdings, "holdings"), null, null);
        }

        /** Content not served, with {@code code} and {@code reason}. */
        public static Offer refused(ErrorCode code, String reason) {
            return new Offer(-1, null, Objects.requireNonNull(code, "code"), reason);
        }
    }

    private final UploadEnvironment env;
    private final UploadScheduler scheduler;
    private final ProgressRule rule;
    private final NodeId nodeId;
    private final int maxOutstanding;
    private final InetAddress remoteIp;
    private final LinkedHashMap<Integer, PendingRequest> pending = new LinkedHashMap<>();
    private final long acceptedNanos;
    private ContentId contentId;
    private long lengthBytes;
    private boolean active = true;
    private boolean writable = true;
    private boolean hasSlot;
    private boolean choked;
    private PendingRequest serving;
    private boolean servingCancelled;
    private long idleSinceNanos;
    private long frameStartNanos;
    private long frameBytes;
    private long frameMovedNanos;
    private long replyStartNanos;
    private long replyBytes;
    private long replyPendingBytes;
    private long replyMovedNanos;

    /**
     * A session for a connection from {@code remoteIp} the server has admitted, accepted now; it
     * waits for the peer's HANDSHAKE.
     */
    public UploadCore(UploadEnvironment env, UploadScheduler scheduler, ServerConfig config, NodeId nodeId,
            InetAddress remoteIp) {
        this.env = Objects.requireNonNull(env, "env");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.rule = new ProgressRule(config);
        this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
        this.maxOutstanding = config.maxOutstandingPerPeer();
        this.remoteIp = Objects.requireNonNull(remoteIp, "remoteIp");
        this.acceptedNanos = env.nowNanos();
    }

    /** A frame from the peer. */
    public void frameIn(Frame frame) {
        if (!active) {
            return;
        }
        if (contentId == null) {
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
            env.distrust();
        }
    }

    /** The peer's bytes did not decode (or did not fit the server's buffer budget). */
    public void badFrame(ErrorCode code, String reason) {
        fail(code, reason);
    }

    private void handshake(Handshake h) {
        Offer offer = env.offer(h.contentId());
        if (offer.refusal() != null) {
            fail(offer.refusal(), offer.reason());
            return;
        }
        if (h.knowsLength() && h.lengthBytes() != offer.lengthBytes()) {
            fail(ErrorCode.BAD_REQUEST, "content " + h.contentId() + " is " + offer.lengthBytes() + " bytes, not "
                    + h.lengthBytes());
            return;
        }
        contentId = h.contentId();
        lengthBytes = offer.lengthBytes();
        idleSinceNanos = env.nowNanos();
        env.sessionBegan(contentId, lengthBytes);
        env.send(new Handshake(nodeId, contentId, lengthBytes, offer.holdings()));
    }

    private void accept(int requestId, boolean wantsData, int height, long index) {
        if (pending.containsKey(requestId) || (serving != null && serving.requestId() == requestId)) {
            refuse(requestId, ErrorCode.BAD_REQUEST, "request " + requestId + " is already outstanding");
            return;
        }
        if (pending.size() >= maxOutstanding) {
            refuse(requestId, ErrorCode.BUSY, "more than " + maxOutstanding + " outstanding requests");
            return;
        }
        long leaves = MerkleTree.leafCount(lengthBytes);
        if (height > MerkleTree.treeHeight(lengthBytes) || index > (leaves - 1) >>> height) {
            refuse(requestId, ErrorCode.BAD_REQUEST, "span (" + height + ", " + index + ") does not exist in a file of "
                    + lengthBytes + " bytes");
            return;
        }
        long first = index << height;
        long count = Math.min(1L << height, leaves - first);
        long bytes;
        if (wantsData) {
            bytes = first + count == leaves ? lengthBytes - first * MerkleTree.LEAF_SIZE_BYTES
                    : count * MerkleTree.LEAF_SIZE_BYTES;
            if (bytes > Limits.MAX_SPAN_BYTES) {
                refuse(requestId, ErrorCode.TOO_LARGE, "span (" + height + ", " + index + ") is " + bytes
                        + " bytes, more than " + Limits.MAX_SPAN_BYTES);
                return;
            }
        } else {
            if (!Hashes.fits(lengthBytes, height, index)) {
                refuse(requestId, ErrorCode.TOO_LARGE, "the hashes of span (" + height + ", " + index
                        + ") do not fit in one frame");
                return;
            }
            bytes = count * MerkleTree.HASH_LENGTH_BYTES;
        }
        pending.put(requestId, new PendingRequest(requestId, wantsData, height, index, bytes));
        idleSinceNanos = env.nowNanos();
        scheduler.requestArrived(this);
    }

    private void cancel(int requestId) {
        if (pending.remove(requestId) != null) {
            scheduler.queueEmptied(this);
        } else if (serving != null && serving.requestId() == requestId) {
            servingCancelled = true;
        }
    }

    /** The scheduler's turn: serve {@code request}, taken from this session's queue. */
    void serve(PendingRequest request) {
        serving = request;
        servingCancelled = false;
        env.read(request);
    }

    /**
     * The reply to {@code request} was read: it is sent unless the request was withdrawn or the
     * connection closed meanwhile.
     */
    public void replyRead(PendingRequest request, Object reply) {
        if (serving != request) {
            env.discardReply(reply);
            return;
        }
        if (!active || servingCancelled) {
            env.discardReply(reply);
            done();
            return;
        }
        replyStartNanos = env.nowNanos();
        replyMovedNanos = replyStartNanos;
        replyBytes = request.replyBytes();
        replyPendingBytes = Long.MAX_VALUE;
        env.sendReply(reply);
    }

    /** The reply being sent is off to the socket (or its write failed): the next turn may come. */
    public void replyDrained() {
        if (serving != null) {
            done();
        }
    }

    private void done() {
        serving = null;
        replyStartNanos = 0;
        idleSinceNanos = env.nowNanos();
        scheduler.served(this);
    }

    /** The connection can take more bytes ({@code true}) or its outbound buffer is full. */
    public void writabilityChanged(boolean nowWritable) {
        writable = nowWritable;
        if (nowWritable && active) {
            scheduler.writable(this);
        }
    }

    /**
     * About once a second: the transport's state now ({@code partialFrameStartNanos} when the
     * frame now partly received began, 0 if none; its {@code bufferedBytes}; the reply bytes still
     * waiting to be written, {@code pendingWriteBytes}). Closes the connection with
     * {@code TOO_SLOW} if {@link ProgressRule} says it stopped making progress.
     */
    public void tick(long partialFrameStartNanos, long bufferedBytes, long pendingWriteBytes) {
        if (!active) {
            return;
        }
        long now = env.nowNanos();
        if (partialFrameStartNanos != frameStartNanos || bufferedBytes != frameBytes) {
            frameStartNanos = partialFrameStartNanos;
            frameBytes = bufferedBytes;
            frameMovedNanos = now;
        }
        long drained = 0;
        if (replyStartNanos != 0) {
            if (pendingWriteBytes < replyPendingBytes) {
                replyPendingBytes = pendingWriteBytes;
                replyMovedNanos = now;
            }
            drained = Math.max(0, replyBytes - pendingWriteBytes);
        }
        String verdict = rule.verdict(new ProgressRule.Snapshot(acceptedNanos, contentId != null,
                serving != null || !pending.isEmpty(), idleSinceNanos, frameStartNanos, frameBytes, frameMovedNanos,
                replyStartNanos, drained, replyMovedNanos), now);
        if (verdict != null) {
            pending.clear();
            active = false;
            env.close(ErrorCode.TOO_SLOW, verdict, false);
        }
    }

    /** The connection is gone: the session's slot and queue are given up. */
    public void closed() {
        active = false;
        pending.clear();
        scheduler.closed(this);
    }

    /** This node gained leaves of {@code id}: the peer is told if its session is about that content. */
    public void have(ContentId id, Have have) {
        if (active && id.equals(contentId)) {
            env.send(have);
        }
    }

    private void refuse(int requestId, ErrorCode code, String reason) {
        env.send(ErrorFrame.request(requestId, code, reason));
    }

    private void fail(ErrorCode code, String reason) {
        pending.clear();
        active = false;
        env.close(code, reason, true);
    }

    void choke() {
        if (!choked) {
            choked = true;
            env.send(new Choke());
        }
    }

    void grantSlot() {
        hasSlot = true;
        if (choked) {
            choked = false;
            env.send(new Unchoke());
        }
    }

    /** Tells a choked peer it may ask again, without a slot (it takes one with its next request). */
    void unchoke() {
        if (choked && active) {
            choked = false;
            env.send(new Unchoke());
        }
    }

    void revokeSlot() {
        hasSlot = false;
    }

    /** The content the session is about, or null before the HANDSHAKE. */
    public ContentId contentId() {
        return contentId;
    }

    InetAddress remoteIp() {
        return remoteIp;
    }

    /** Whether the session holds an upload slot. */
    public boolean hasSlot() {
        return hasSlot;
    }

    boolean isServing() {
        return serving != null;
    }

    boolean isActive() {
        return active;
    }

    boolean isWritable() {
        return active && writable;
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
