package org.kadshare.overlay.transfer.server;

import java.util.function.LongSupplier;

/**
 * Paces reply bytes to a rate. Design note: the bucket holds up to {@link #BURST_NANOS} (100 ms)
 * of tokens, and starts full, and may go into debt by one reply, so a reply larger than the
 * bucket is still sent, and the next one waits until the debt is paid; over any run the bytes
 * sent stay within {@code rate * seconds + capacity + one reply}. A bucket of one second let a
 * holder capped at 25 MiB/s send 25 MiB at once after every idle second, so a getter measured the
 * cap's sum plus those bursts; 100 ms is a burst a link's queue absorbs (as {@code tc tbf}'s), not
 * a second rate. Time comes from an injected nanosecond clock.
 * Not thread-safe: used on the server's event loop only.
 */
final class TokenBucket {
    /** How much of its rate the bucket holds: the most it sends at once after an idle time. */
    static final long BURST_NANOS = 100_000_000L;
    private final long bytesPerSecond;
    private final long capacityBytes;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;

    /** {@code bytesPerSecond} 0 means unlimited. */
    TokenBucket(long bytesPerSecond, LongSupplier nanoClock) {
        this.bytesPerSecond = bytesPerSecond;
        this.capacityBytes = (long) (bytesPerSecond * (BURST_NANOS / 1e9));
        this.nanoClock = nanoClock;
        this.tokens = capacityBytes;
        this.lastNanos = nanoClock.getAsLong();
    }

    /**
     * Takes {@code bytes} tokens if the bucket is not in debt and returns 0; otherwise takes
     * nothing and returns how many nanoseconds until it will be out of debt.
     */
    long tryTake(long bytes) {
        if (bytesPerSecond == 0) {
            return 0;
        }
        refill();
        if (tokens < 0) {
            return (long) Math.ceil(-tokens * 1e9 / bytesPerSecond);
        }
        tokens -= bytes;
        return 0;
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastNanos;
        lastNanos = now;
        tokens = Math.min(capacityBytes, tokens + elapsed * (double) bytesPerSecond / 1e9);
    }
}
