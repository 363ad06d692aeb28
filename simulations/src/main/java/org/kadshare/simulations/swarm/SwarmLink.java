package org.kadshare.simulations.swarm;

import java.util.HashMap;
import java.util.Map;
import org.kadshare.overlay.transfer.download.PeerLink;
import org.kadshare.overlay.transfer.wire.Cancel;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.kadshare.overlay.transfer.wire.GetHashes;
import org.kadshare.overlay.transfer.wire.GetSpan;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Holdings;

/**
 * The getter's end of a simulated block-transfer connection: the download core's requests become
 * frames with request IDs of this connection, delivered to the holder's {@link SwarmSession}
 * after the pair's latency; the holder's frames come back as events of the getter's core.
 * Holdings are the holder's handshake's, then HAVE updates, as on the wire. A withdrawn request's
 * late reply is dropped, as the real client drops it.
 */
final class SwarmLink implements PeerLink {
    private final Swarm swarm;
    final SwarmPeer getter;
    final SwarmPeer holder;
    /** The holder's number in the getter's core. */
    final int peer;
    /** The holder's side of this connection. */
    SwarmSession session;
    private Handshake handshake;
    private int nextRequestId = 1;
    /** Requests in flight: request ID to the core's token and back (looked up, never iterated). */
    private final Map<Integer, Long> tokens = new HashMap<>();
    private final Map<Long, Integer> ids = new HashMap<>();
    boolean open = true;

    SwarmLink(Swarm swarm, SwarmPeer getter, SwarmPeer holder, int peer) {
        this.swarm = swarm;
        this.getter = getter;
        this.holder = holder;
        this.peer = peer;
    }

    /** The holder's HANDSHAKE arrived: the link is up. */
    void handshaken(Handshake theirs) {
        handshake = theirs;
    }

    boolean isHandshaken() {
        return handshake != null;
    }

    @Override
    public Holdings holdings() {
        return handshake.holdings();
    }

    @Override
    public long lengthBytes() {
        return handshake.lengthBytes();
    }

    @Override
    public long handshakeRttNanos() {
        return 2 * swarm.latencyMillis(getter, holder) * 1_000_000L;
    }

    @Override
    public void requestSpan(long token, int height, long index) {
        int id = track(token);
        swarm.toHolder(this, s -> s.core.frameIn(new GetSpan(id, height, index)));
    }

    @Override
    public void requestHashes(long token, int height, long index) {
        int id = track(token);
        swarm.toHolder(this, s -> s.core.frameIn(new GetHashes(id, height, index)));
    }

    private int track(long token) {
        int id = nextRequestId;
        nextRequestId = nextRequestId == Integer.MAX_VALUE ? 1 : nextRequestId + 1;
        tokens.put(id, token);
        ids.put(token, id);
        return id;
    }

    /** The core's token for the reply to request {@code requestId}, or null if it was withdrawn. */
    Long answered(int requestId) {
        Long token = tokens.remove(requestId);
        if (token != null) {
            ids.remove(token);
        }
        return token;
    }

    @Override
    public void cancel(long token) {
        Integer id = ids.remove(token);
        if (id != null) {
            tokens.remove(id);
            swarm.toHolder(this, s -> s.core.frameIn(new Cancel(id)));
        }
    }

    @Override
    public void close() {
        swarm.closeFromGetter(this);
    }

    @Override
    public void reject(String reason) {
        swarm.toHolder(this, s -> s.core.frameIn(ErrorFrame.connection(ErrorCode.BAD_DATA, reason)));
        swarm.closeFromGetter(this);
    }
}
