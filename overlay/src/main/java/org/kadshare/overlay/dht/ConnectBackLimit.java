package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many connect_back probes a node makes: at most {@link #PER_MINUTE} a minute in all and one
 * a minute to any one address, so that neither one querier nor many (or one spoofing many source
 * addresses) can turn it into a source of connections to someone else. An honest node asks a few
 * peers once after it starts and again when its mapping changes, far below either limit. Sans-IO:
 * the caller passes the time; memory is bounded by {@link #PER_MINUTE} entries.
 */
final class ConnectBackLimit {
    /** Probes a minute, in all. */
    static final int PER_MINUTE = 10;
    private static final long MINUTE_MILLIS = 60_000;

    private record Probe(InetAddress to, long atMillis) {}

    private final Deque<Probe> recent = new ArrayDeque<>();

    /** Whether a probe to {@code to} may start now; if so, it is counted. */
    boolean tryAcquire(InetAddress to, long nowMillis) {
        while (!recent.isEmpty() && nowMillis - recent.peekFirst().atMillis() >= MINUTE_MILLIS) {
            recent.pollFirst();
        }
        if (recent.size() >= PER_MINUTE) {
            return false;
        }
        for (Probe p : recent) {
            if (p.to().equals(to)) {
                return false;
            }
        }
        recent.addLast(new Probe(to, nowMillis));
        return true;
    }
}
