package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/** A manual clock and event queue for in-memory tests: events run in (time, insertion) order. */
final class VirtualTime {
    private record Event(long atMillis, long seq, Runnable task, boolean[] cancelled) {}

    private final PriorityQueue<Event> queue = new PriorityQueue<>((a, b) -> a.atMillis != b.atMillis
            ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
    private long nowMillis;
    private long seq;

    long nowMillis() {
        return nowMillis;
    }

    DhtEnvironment.Cancellable schedule(long delayMillis, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Event(nowMillis + Math.max(0, delayMillis), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every event due up to {@code untilMillis}, then sets the clock there. */
    void runUntil(long untilMillis) {
        while (!queue.isEmpty() && queue.peek().atMillis <= untilMillis) {
            Event e = queue.poll();
            nowMillis = e.atMillis;
            if (!e.cancelled[0]) {
                e.task.run();
            }
        }
        nowMillis = Math.max(nowMillis, untilMillis);
    }

    void runFor(long millis) {
        runUntil(nowMillis + millis);
    }

    /** An environment on this clock whose sends go to {@code network}. */
    DhtEnvironment environment(long seed, BiConsumer<InetSocketAddress, byte[]> network) {
        RandomGenerator random = new SplittableRandom(seed);
        return new DhtEnvironment() {
            @Override
            public long nowMillis() {
                return VirtualTime.this.nowMillis;
            }

            @Override
            public void send(InetSocketAddress to, byte[] datagram) {
                network.accept(to, datagram);
            }

            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return VirtualTime.this.schedule(delayMillis, task);
            }

            @Override
            public RandomGenerator random() {
                return random;
            }
        };
    }
}
