package org.kadshare.simulations.swarm;

import java.util.TreeSet;
import org.kadshare.overlay.transfer.download.PeerLink;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Holdings;

/**
 * A simulated block-transfer connection from a getter to a holder: requests travel one way in
 * the pair's latency, spans queue on the holder's upload and the getter's download link, and
 * replies become events of the getter's core. Holdings are the holder's at the handshake, then
 * HAVE updates, as on the wire.
 */
final class SwarmLink implements PeerLink {
    private final Swarm swarm;
    final SwarmPeer getter;
    final SwarmPeer holder;
    /** The holder's number in the getter's core. */
    final int peer;
    private final Holdings holdings;
    /** Requests withdrawn: not served if not started yet, and their reply is dropped. */
    private final TreeSet<Long> cancelled = new TreeSet<>();
    boolean open = true;

    SwarmLink(Swarm swarm, SwarmPeer getter, SwarmPeer holder, int peer) {
        this.swarm = swarm;
        this.getter = getter;
        this.holder = holder;
        this.peer = peer;
        this.holdings = Holdings.of(holder.held, swarm.file().leafCount());
    }

    @Override
    public Holdings holdings() {
        return holdings;
    }

    @Override
    public long lengthBytes() {
        return holdings.kind() == Holdings.Kind.NONE ? Handshake.UNKNOWN_LENGTH : swarm.file().lengthBytes();
    }

    @Override
    public long handshakeRttNanos() {
        return 2 * swarm.latencyMillis(getter, holder) * 1_000_000L;
    }

    @Override
    public void requestSpan(long token, int height, long index) {
        swarm.requestSpan(this, token, height, index);
    }

    @Override
    public void requestHashes(long token, int height, long index) {
        swarm.requestHashes(this, token, height, index);
    }

    @Override
    public void cancel(long token) {
        if (cancelled.size() < 4096) {
            cancelled.add(token);
        }
    }

    /** Whether {@code token} was withdrawn; forgets it (each reply is looked up once). */
    boolean takeCancelled(long token) {
        return cancelled.remove(token);
    }

    @Override
    public void close() {
        swarm.close(this);
    }

    @Override
    public void reject(String reason) {
        swarm.close(this);
    }
}
