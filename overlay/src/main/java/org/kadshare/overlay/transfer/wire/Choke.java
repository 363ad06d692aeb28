package org.kadshare.overlay.transfer.wire;

/**
 * The holder has no upload slot for this peer now: requests already sent and those still to come
 * (within the outstanding limit) wait, and are served after an {@link Unchoke}.
 */
public record Choke() implements Frame {
    @Override
    public FrameType type() {
        return FrameType.CHOKE;
    }
}
