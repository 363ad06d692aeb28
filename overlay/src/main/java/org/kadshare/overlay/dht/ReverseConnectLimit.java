package org.kadshare.overlay.dht;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How many reverse connections a node passes on or makes in a minute: at most {@code total} in
 * all, {@code perSource} for any one source and {@code perTarget} for any one target. A relay
 * counts the {@code connect_to_me} it forwards by the getter's IP and the holder; a holder counts
 * the connections it opens by the getter's IP and the content. So neither one getter nor many
 * (nor one holder's popularity) can make a relay or a holder a source of datagrams or connections
 * beyond a few a minute, while an honest download, which asks once per holder and again only
 * after that connection failed, stays far below. Sans-IO: the caller passes the time; memory is
 * bounded by {@code total} entries.
 */
final class ReverseConnectLimit {
    private static final long MINUTE_MILLIS = 60_000;

    private record Passed(Object source, Object target, long atMillis) {}

    private final int total;
    private final int perSource;
    private final int perTarget;
    private final Deque<Passed> recent = new ArrayDeque<>();

    ReverseConnectLimit(int total, int perSource, int perTarget) {
        if (total < 1 || perSource < 1 || perTarget < 1) {
            throw new IllegalArgumentException("reverse-connection limits must be positive: total=" + total
                    + " perSource=" + perSource + " perTarget=" + perTarget);
        }
        this.total = total;
        this.perSource = perSource;
        this.perTarget = perTarget;
    }

    /** Whether one more from {@code source} to {@code target} may pass now; if so, it is counted. */
    boolean tryAcquire(Object source, Object target, long nowMillis) {
        while (!recent.isEmpty() && nowMillis - recent.peekFirst().atMillis() >= MINUTE_MILLIS) {
            recent.pollFirst();
        }
        if (recent.size() >= total) {
            return false;
        }
        int fromSource = 0;
        int toTarget = 0;
        for (Passed p : recent) {
            if (p.source().equals(source)) {
                fromSource++;
            }
            if (p.target().equals(target)) {
                toTarget++;
            }
        }
        if (fromSource >= perSource || toTarget >= perTarget) {
            return false;
        }
        recent.addLast(new Passed(source, target, nowMillis));
        return true;
    }
}
