package org.kadshare.overlay.transfer.wire;

/**
 * Asks for the bytes of aligned span {@code (height, index)} with the span's proof.
 *
 * @param requestId chosen by the requester, {@code 1..2^31-1}, echoed in the reply
 * @param height    the span's height, {@code 0..49}
 * @param index     the span's index, {@code 0..2^49-1}
 */
public record GetSpan(int requestId, int height, long index) implements Frame {
    /** Checks the ranges. */
    public GetSpan {
        RequestIds.check(requestId);
        RequestIds.checkSpan(height, index);
    }

    @Override
    public FrameType type() {
        return FrameType.GET_SPAN;
    }
}
