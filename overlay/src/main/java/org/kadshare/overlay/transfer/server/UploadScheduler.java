package org.kadshare.overlay.transfer.server;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides whom the server uploads to, and when.
 *
 * <p>Design note. At most {@code slots} connections hold an upload slot; a connection takes one
 * when its first request arrives and a slot is free, otherwise it is choked (told CHOKE) and waits,
 * its requests queued. It keeps the slot while it has requests, and for {@code lingerMillis} after
 * its queue empties (so a pipelining downloader does not lose its slot between rounds), then gives
 * it to a waiter, which is told UNCHOKE.
 *
 * <p>Slots are shared fairly across IP addresses, not connections (max-min fairness): a freed
 * slot goes to the waiter whose address holds the fewest slots (the longest waiter among equals),
 * and a connection that finishes a reply while a waiter's address holds at least two slots fewer
 * than its own gives its slot to that waiter (it is choked, its queue kept). So an address with a
 * hundred connections ends up with no more slots than one with a single connection that wants
 * one (at most one more when the slots do not divide evenly), and only slots nobody else wants
 * go to its extra connections. A choked connection whose requests were all withdrawn stays a
 * waiter and is sent UNCHOKE (without a slot) once a slot is free and no waiter with requests
 * wants it: a downloader sends nothing to a holder that choked it, so without that UNCHOKE
 * neither side would ever move again. Slot holders with
 * queued requests take turns round-robin, one reply per turn, and a connection never has more than
 * one reply being read or written: a greedy peer's long queue cannot delay another peer by more
 * than one reply. A turn is taken only if the token bucket is not in debt (else the pump is
 * scheduled for when it will not be) and the connection's channel is writable, so the bytes
 * buffered per connection stay bounded by one reply plus control frames. Runs on the server's
 * one thread only, with its time and timer given ({@link Timer}): no locks, no clock of its own,
 * so the swarm simulator runs it in virtual time. Public for that driver.
 */
public final class UploadScheduler {
    /** Runs a task on the scheduler's thread after a delay (the server's event loop, or virtual time). */
    public interface Timer {
        void schedule(long delayNanos, Runnable task);
    }

    private final int slots;
    private final long lingerMillis;
    private final TokenBucket bucket;
    private final Timer timer;
    private final Set<UploadCore> holders = new LinkedHashSet<>();
    private final ArrayDeque<UploadCore> waiting = new ArrayDeque<>();
    private final ArrayDeque<UploadCore> ring = new ArrayDeque<>();
    private final Map<InetAddress, Integer> slotsByIp = new HashMap<>();
    private int inService;
    private boolean pumpScheduled;

    /**
     * A scheduler of {@code slots} upload slots kept {@code lingerMillis} after a queue empties,
     * pacing replies to {@code uploadBytesPerSecond} (0: unlimited) by {@code nanoClock}.
     */
    public UploadScheduler(int slots, long lingerMillis, long uploadBytesPerSecond, LongSupplier nanoClock, Timer timer) {
        this.slots = slots;
        this.lingerMillis = lingerMillis;
        this.bucket = new TokenBucket(uploadBytesPerSecond, nanoClock);
        this.timer = timer;
    }

    void requestArrived(UploadCore c) {
        if (c.hasSlot()) {
            enqueue(c);
        } else if (holders.size() < slots) {
            grant(c);
        } else if (!waiting.contains(c)) {
            waiting.addLast(c);
            c.choke();
        }
        pump();
    }

    void writable(UploadCore c) {
        enqueue(c);
        pump();
    }

    void served(UploadCore c) {
        inService--;
        UploadCore fewer = c.hasSlot() ? waiterWithFewestSlots() : null;
        if (fewer != null && slotsOf(fewer) + 2 <= slotsOf(c)) {
            release(c);
            if (c.hasPending() && c.isActive()) {
                waiting.addLast(c);
                c.choke();
            }
        } else if (c.hasPending()) {
            enqueue(c);
        } else {
            queueEmptied(c);
        }
        pump();
    }

    void queueEmptied(UploadCore c) {
        if (!c.hasSlot() || c.isServing() || c.hasPending()) {
            return;
        }
        if (lingerMillis == 0) {
            release(c);
        } else {
            timer.schedule(TimeUnit.MILLISECONDS.toNanos(lingerMillis), () -> {
                if (c.hasSlot() && !c.isServing() && !c.hasPending()) {
                    release(c);
                    pump();
                }
            });
        }
    }

    void closed(UploadCore c) {
        ring.remove(c);
        waiting.remove(c);
        if (c.hasSlot()) {
            release(c);
        }
        pump();
    }

    private void grant(UploadCore c) {
        waiting.remove(c);
        holders.add(c);
        slotsByIp.merge(c.remoteIp(), 1, Integer::sum);
        c.grantSlot();
        enqueue(c);
    }

    private void release(UploadCore c) {
        if (holders.remove(c)) {
            slotsByIp.computeIfPresent(c.remoteIp(), (ip, n) -> n == 1 ? null : n - 1);
        }
        ring.remove(c);
        c.revokeSlot();
        waiting.removeIf(w -> !w.isActive());
        UploadCore next;
        while (holders.size() < slots && (next = waiterWithFewestSlots()) != null) {
            waiting.remove(next);
            grant(next);
        }
        if (holders.size() < slots) {
            // a choked peer that withdrew every request sends no more until it is unchoked
            for (Iterator<UploadCore> it = waiting.iterator(); it.hasNext();) {
                UploadCore idle = it.next();
                it.remove();
                idle.unchoke();
            }
        }
    }

    /** The waiter whose address holds the fewest slots, the longest waiting among equals; null if none. */
    private UploadCore waiterWithFewestSlots() {
        UploadCore best = null;
        int bestSlots = Integer.MAX_VALUE;
        for (UploadCore w : waiting) {
            int held = slotsOf(w);
            if (held < bestSlots && w.isActive() && w.hasPending()) {
                best = w;
                bestSlots = held;
            }
        }
        return best;
    }

    private int slotsOf(UploadCore c) {
        return slotsByIp.getOrDefault(c.remoteIp(), 0);
    }

    private void enqueue(UploadCore c) {
        if (c.hasSlot() && !c.isServing() && c.hasPending() && c.isWritable() && !ring.contains(c)) {
            ring.addLast(c);
        }
    }

    private void pump() {
        if (pumpScheduled) {
            return;
        }
        while (inService < slots && !ring.isEmpty()) {
            UploadCore c = ring.peekFirst();
            PendingRequest next = c.peekRequest();
            if (next == null || !c.isWritable() || !c.hasSlot()) {
                ring.pollFirst();
                continue;
            }
            long waitNanos = bucket.tryTake(next.replyBytes());
            if (waitNanos > 0) {
                pumpScheduled = true;
                timer.schedule(waitNanos, () -> {
                    pumpScheduled = false;
                    pump();
                });
                return;
            }
            ring.pollFirst();
            inService++;
            c.serve(c.takeRequest());
        }
    }
}
