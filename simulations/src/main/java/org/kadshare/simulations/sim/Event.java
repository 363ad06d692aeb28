package org.kadshare.simulations.sim;

import org.kadshare.overlay.dht.DhtEnvironment;

/**
 * One entry of the {@link Scheduler}'s queue: an action due at a virtual time. Events are ordered
 * by (time, sequence number), the sequence number being the order in which they were scheduled,
 * so two events due at the same millisecond always run in the order they were created.
 */
public final class Event implements DhtEnvironment.Cancellable, Comparable<Event> {
    private final long timeMillis;
    private final long sequence;
    private Runnable action;
    private final Scheduler owner;
    private boolean cancelled;
    private boolean done;

    Event(Scheduler owner, long timeMillis, long sequence, Runnable action) {
        this.owner = owner;
        this.timeMillis = timeMillis;
        this.sequence = sequence;
        this.action = action;
    }

    /** The virtual time at which the event is due. */
    public long timeMillis() {
        return timeMillis;
    }

    /** Whether the event was cancelled before it ran. */
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void cancel() {
        if (!cancelled && !done) {
            cancelled = true;
            action = null;
            owner.noteCancelled();
        }
    }

    /** Whether the event has run or was cancelled. */
    public boolean isFinished() {
        return done || cancelled;
    }

    void run() {
        done = true;
        Runnable a = action;
        action = null;
        a.run();
    }

    @Override
    public int compareTo(Event o) {
        int byTime = Long.compare(timeMillis, o.timeMillis);
        return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }
}
