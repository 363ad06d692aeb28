package org.kadshare.simulations.swarm;

import org.kadshare.overlay.transfer.server.PendingRequest;
import org.kadshare.overlay.transfer.server.UploadCore;
import org.kadshare.overlay.transfer.server.UploadEnvironment;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.storage.ContentId;

/**
 * The holder's end of a simulated connection: the block server's own {@link UploadCore} (and the
 * holder's {@code UploadScheduler}), with this simulation as its environment. Replies are read
 * from the swarm's file at once (disk takes no time) and sent on the holder's {@link Uplink}.
 */
final class SwarmSession implements UploadEnvironment {
    private final Swarm swarm;
    final SwarmLink link;
    final UploadCore core;
    /** The reply on the holder's uplink now, or null. */
    Uplink.Transfer sending;
    boolean closed;

    SwarmSession(Swarm swarm, SwarmLink link) {
        this.swarm = swarm;
        this.link = link;
        this.core = new UploadCore(this, link.holder.uploadSlots, Swarm.SERVER, Swarm.HOLDER_ID,
                link.getter.address.getAddress());
    }

    @Override
    public long nowNanos() {
        return swarm.nowNanos();
    }

    @Override
    public UploadCore.Offer offer(ContentId id) {
        if (!id.equals(swarm.file().id())) {
            return UploadCore.Offer.refused(ErrorCode.NOT_HELD, "this node does not hold " + id);
        }
        return UploadCore.Offer.of(swarm.file().lengthBytes(), Holdings.of(link.holder.held, swarm.file().leafCount()));
    }

    @Override
    public void send(Frame frame) {
        swarm.toGetter(link, frame);
    }

    @Override
    public void read(PendingRequest request) {
        swarm.read(this, request);
    }

    @Override
    public void sendReply(Object reply) {
        swarm.sendReply(this, reply);
    }

    @Override
    public void discardReply(Object reply) {
        // the simulator's replies hold no buffers
    }

    @Override
    public void distrust() {
    }

    @Override
    public void sessionBegan(ContentId id, long lengthBytes) {
    }

    @Override
    public void close(ErrorCode code, String reason, boolean drainFirst) {
        swarm.closeFromHolder(this, code + ": " + reason);
    }

    /** Bytes of the reply being sent not yet off the uplink. */
    long pendingWriteBytes() {
        return sending == null ? 0 : link.holder.uplink.pendingBytes(sending);
    }
}
