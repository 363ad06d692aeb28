package org.kadshare.overlay.transfer.wire;

/**
 * Withdraws request {@code requestId}. The holder drops it if it has not started sending the reply;
 * a reply already under way still arrives and the requester ignores it.
 *
 * @param requestId the request withdrawn, {@code 1..2^31-1}
 */
public record Cancel(int requestId) implements Frame {
    /** Checks the range. */
    public Cancel {
        RequestIds.check(requestId);
    }

    @Override
    public FrameType type() {
        return FrameType.CANCEL;
    }
}
