package org.kadshare.overlay.transfer.server;

import java.util.concurrent.atomic.AtomicLong;
import org.kadshare.overlay.transfer.wire.FrameBudget;

/** The block server's {@link FrameBudget}: at most {@code limitBytes} reserved at once. */
final class BufferBudget implements FrameBudget {
    private final long limitBytes;
    private final AtomicLong reserved = new AtomicLong();

    BufferBudget(long limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public boolean reserve(int bytes) {
        long now = reserved.addAndGet(bytes);
        if (now > limitBytes) {
            reserved.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    @Override
    public void release(int bytes) {
        reserved.addAndGet(-bytes);
    }

    /** Bytes reserved now. */
    long reservedBytes() {
        return reserved.get();
    }
}
