package org.kadshare.overlay.transfer.server;

/**
 * Decides when a connection has stopped earning its place on the server (a pure function of a
 * snapshot and the time; the server applies it to every connection about once a second).
 *
 * <p>Design note. A peer controls how fast it sends and reads, so every state it can hold a
 * connection in has a clock: until its HANDSHAKE arrives (an absolute deadline, as HTTP servers
 * bound the request head); while a frame is partly received and while a reply is partly read
 * (the frame or reply gets {@code graceMillis}, after which at least {@code minBytesPerSecond}
 * must have moved on average since it started, and something must have moved within the last
 * {@code graceMillis}: a peer trickling one byte a second, or reading nothing, loses the
 * connection, as Apache's mod_reqtimeout MinRate does it); and while it has nothing queued
 * ({@code idleMillis}, which a frame being received at the minimum rate suspends: such a frame
 * ends within its bounded length). Bytes alone never reset a clock: only progress at the minimum rate does,
 * so slowloris cannot keep a connection by sending a byte now and then.
 */
final class ProgressRule {
    /** What the rule looks at; times are the driver's clock in nanoseconds, 0 where a state is not entered. */
    record Snapshot(long acceptedNanos, boolean handshaken, boolean busy, long idleSinceNanos,
                    long frameStartNanos, long frameBytes, long frameMovedNanos,
                    long replyStartNanos, long replyDrainedBytes, long replyMovedNanos) {
    }

    private final long handshakeNanos;
    private final long idleNanos;
    private final long graceNanos;
    private final long minBytesPerSecond;

    ProgressRule(ServerConfig config) {
        handshakeNanos = config.handshakeTimeoutMillis() * 1_000_000;
        idleNanos = config.idleTimeoutMillis() * 1_000_000;
        graceNanos = config.progressGraceMillis() * 1_000_000;
        minBytesPerSecond = config.minProgressBytesPerSecond();
    }

    /** Why the connection is closed at {@code nowNanos}, or null if it keeps its place. */
    String verdict(Snapshot s, long nowNanos) {
        if (!s.handshaken() && nowNanos - s.acceptedNanos() >= handshakeNanos) {
            return "no HANDSHAKE within " + millis(handshakeNanos) + " ms";
        }
        String frame = tooSlow("a frame arrived", s.frameStartNanos(), s.frameBytes(), s.frameMovedNanos(), nowNanos);
        if (frame != null) {
            return frame;
        }
        String reply = tooSlow("a reply was read", s.replyStartNanos(), s.replyDrainedBytes(), s.replyMovedNanos(),
                nowNanos);
        if (reply != null) {
            return reply;
        }
        if (s.handshaken() && !s.busy() && s.frameStartNanos() == 0 && nowNanos - s.idleSinceNanos() >= idleNanos) {
            return "no request for " + millis(idleNanos) + " ms";
        }
        return null;
    }

    private String tooSlow(String what, long startNanos, long bytes, long movedNanos, long nowNanos) {
        if (startNanos == 0) {
            return null;
        }
        if (nowNanos - movedNanos >= graceNanos) {
            return what + " with nothing moving for " + millis(nowNanos - movedNanos) + " ms";
        }
        long overNanos = nowNanos - startNanos - graceNanos;
        if (overNanos > 0 && bytes < minBytesPerSecond * millis(overNanos) / 1_000) {
            return what + " at less than " + minBytesPerSecond + " bytes/s (" + bytes + " bytes in "
                    + millis(nowNanos - startNanos) + " ms)";
        }
        return null;
    }

    private static long millis(long nanos) {
        return nanos / 1_000_000;
    }
}
