package org.kadshare.simulations.swarm;

import java.util.ArrayList;
import java.util.List;
import org.kadshare.simulations.sim.Event;
import org.kadshare.simulations.sim.Scheduler;

/**
 * A node's upload link, shared by the replies on it at once as TCP shares a link among its
 * connections: each of {@code n} transfers moves at {@code rate / n} (processor sharing). So a
 * reply's bytes drain steadily while others are sent too, as the block server's progress rule
 * sees them on a real socket, instead of waiting whole for the replies before it. Time is the
 * scheduler's (milliseconds): a transfer that would end within the current millisecond ends in it.
 */
final class Uplink {
    /** One reply on the link. */
    static final class Transfer {
        private double remainingBytes;
        private final Runnable done;

        private Transfer(long bytes, Runnable done) {
            this.remainingBytes = bytes;
            this.done = done;
        }
    }

    private final Scheduler scheduler;
    private final long bytesPerSecond;
    private final List<Transfer> active = new ArrayList<>();
    private long updatedMillis;
    private Event next;

    Uplink(Scheduler scheduler, long bytesPerSecond) {
        this.scheduler = scheduler;
        this.bytesPerSecond = bytesPerSecond;
    }

    /** Starts sending {@code bytes}; {@code done} runs once they are all off the link. */
    Transfer send(long bytes, Runnable done) {
        advance();
        Transfer t = new Transfer(bytes, done);
        active.add(t);
        reschedule();
        return t;
    }

    /** Bytes of {@code t} not sent yet (0 once it is done). */
    long pendingBytes(Transfer t) {
        advance();
        return (long) Math.ceil(Math.max(0, t.remainingBytes));
    }

    /** Drops every transfer (the node left): none of them completes. */
    void clear() {
        active.clear();
        if (next != null) {
            next.cancel();
            next = null;
        }
    }

    private void advance() {
        long now = scheduler.nowMillis();
        if (!active.isEmpty() && now > updatedMillis) {
            double each = (now - updatedMillis) * (double) bytesPerSecond / 1_000 / active.size();
            for (Transfer t : active) {
                t.remainingBytes -= each;
            }
        }
        updatedMillis = now;
    }

    private void reschedule() {
        if (next != null) {
            next.cancel();
            next = null;
        }
        if (active.isEmpty()) {
            return;
        }
        double least = Double.MAX_VALUE;
        for (Transfer t : active) {
            least = Math.min(least, t.remainingBytes);
        }
        double millis = Math.max(0, least) * active.size() * 1_000 / bytesPerSecond;
        next = scheduler.schedule(Math.max(0, (long) Math.floor(millis)), this::finishDue);
    }

    private void finishDue() {
        next = null;
        advance();
        double withinAMillisecond = (double) bytesPerSecond / 1_000 / active.size();
        List<Transfer> finished = new ArrayList<>();
        for (Transfer t : active) {
            if (t.remainingBytes <= withinAMillisecond) {
                t.remainingBytes = 0;
                finished.add(t);
            }
        }
        active.removeAll(finished);
        reschedule();
        for (Transfer t : finished) {
            t.done.run();
        }
    }
}
