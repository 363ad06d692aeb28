package org.kadshare.simulations.sim;

import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A discrete-event scheduler in virtual time, the one clock of a simulation.
 *
 * <p>Design note: a binary heap ordered by (due time, sequence number). The sequence number is a
 * counter taken when the event is scheduled, so ties at the same millisecond break in scheduling
 * order and a run never depends on heap internals. Time only moves when the next event is taken;
 * nothing here reads the wall clock and nothing runs on another thread. Cancelled events stay in
 * the heap and are skipped when reached; when they come to outnumber the live ones the heap is
 * rebuilt without them, so a core that arms and cancels a timeout per request does not grow it.
 */
public final class Scheduler {
    private static final int PURGE_MIN_CANCELLED = 4096;

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final String failureContext;
    private long nowMillis;
    private long nextSequence;
    private long executedEvents;
    private int cancelledInQueue;

    /** {@code failureContext} (such as "seed=42") is put into the message of any failure. */
    public Scheduler(String failureContext) {
        this.failureContext = Objects.requireNonNull(failureContext, "failureContext");
    }

    /** The current virtual time in milliseconds, starting at 0. */
    public long nowMillis() {
        return nowMillis;
    }

    /** Schedules {@code action} to run {@code delayMillis} (>= 0) from now. */
    public Event schedule(long delayMillis, Runnable action) {
        if (delayMillis < 0) {
            throw new IllegalArgumentException("negative delay " + delayMillis + " ms at t=" + nowMillis);
        }
        return scheduleAt(nowMillis + delayMillis, action);
    }

    /** Schedules {@code action} at virtual time {@code atMillis}, which must not be in the past. */
    public Event scheduleAt(long atMillis, Runnable action) {
        Objects.requireNonNull(action, "action");
        if (atMillis < nowMillis) {
            throw new IllegalArgumentException("event at t=" + atMillis + " ms is before now, t=" + nowMillis);
        }
        Event event = new Event(this, atMillis, nextSequence++, action);
        queue.add(event);
        return event;
    }

    /** Runs the next due event, advancing time to it; false when no event is left. */
    public boolean step() {
        Event event = pollLive();
        if (event == null) {
            return false;
        }
        execute(event);
        return true;
    }

    /** Runs every event due at or before {@code timeMillis}, then sets the clock to it. */
    public void runUntil(long timeMillis) {
        if (timeMillis < nowMillis) {
            throw new IllegalArgumentException("cannot run back to t=" + timeMillis + " ms from t=" + nowMillis);
        }
        while (true) {
            Event head = peekLive();
            if (head == null || head.timeMillis() > timeMillis) {
                break;
            }
            queue.poll();
            execute(head);
        }
        nowMillis = timeMillis;
    }

    /** Runs for {@code durationMillis} of virtual time. */
    public void runFor(long durationMillis) {
        runUntil(nowMillis + durationMillis);
    }

    /** Number of events run so far. */
    public long executedEvents() {
        return executedEvents;
    }

    /** Number of events waiting, not counting cancelled ones. */
    public int pendingEvents() {
        return queue.size() - cancelledInQueue;
    }

    void noteCancelled() {
        cancelledInQueue++;
        if (cancelledInQueue >= PURGE_MIN_CANCELLED && cancelledInQueue > queue.size() / 2) {
            queue.removeIf(Event::isCancelled);
            cancelledInQueue = 0;
        }
    }

    private Event peekLive() {
        Event head = queue.peek();
        while (head != null && head.isCancelled()) {
            queue.poll();
            cancelledInQueue--;
            head = queue.peek();
        }
        return head;
    }

    private Event pollLive() {
        Event head = peekLive();
        if (head != null) {
            queue.poll();
        }
        return head;
    }

    private void execute(Event event) {
        nowMillis = event.timeMillis();
        executedEvents++;
        try {
            event.run();
        } catch (RuntimeException | Error e) {
            throw new SimulationFailure("simulation (" + failureContext + ") failed in event #"
                    + executedEvents + " at t=" + nowMillis + " ms: " + e, e);
        }
    }
}
