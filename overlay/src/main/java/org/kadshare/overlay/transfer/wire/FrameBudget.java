package org.kadshare.overlay.transfer.wire;

/**
 * Bytes a {@link FrameDecoder} may buffer for incoming frames, shared by every connection that
 * uses it: a frame longer than {@link #UNBUDGETED_FRAME_BYTES} must {@linkplain #reserve reserve}
 * its declared length as soon as its length prefix is in, before any more of its bytes are
 * buffered, and gives it back once it is decoded or its connection is gone. Frames up to that size
 * (every request, HAVE, ERROR and a handshake without a bitfield) need no reservation: they are
 * bounded by the number of connections times their size.
 */
public interface FrameBudget {
    /** Frames up to this length (prefix value) are not counted. */
    int UNBUDGETED_FRAME_BYTES = 8_192;

    /** No limit: what a downloader's own connections use. */
    FrameBudget UNLIMITED = new FrameBudget() {
        @Override
        public boolean reserve(int bytes) {
            return true;
        }

        @Override
        public void release(int bytes) {
        }
    };

    /** Takes {@code bytes} from the budget; false (and nothing taken) if that would exceed it. */
    boolean reserve(int bytes);

    /** Gives back bytes an earlier {@link #reserve} took. */
    void release(int bytes);
}
