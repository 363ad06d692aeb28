package org.kadshare.overlay.transfer.wire;

/** The holder gave this peer an upload slot; its waiting requests are being served. */
public record Unchoke() implements Frame {
    @Override
    public FrameType type() {
        return FrameType.UNCHOKE;
    }
}
