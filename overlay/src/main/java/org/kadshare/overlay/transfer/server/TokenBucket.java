package org.kadshare.overlay.transfer.server;

import java.util.function.LongSupplier;

/**
 * Paces reply bytes to a rate. Design note: the bucket holds up to one second of tokens and may
 * go into debt by one reply, so a reply larger than the bucket is still sent, and the next one
 * waits until the debt is paid; over any long run the bytes sent stay within
 * {@code rate * seconds + capacity + one reply}. Time comes from an injected nanosecond clock.
 * Not thread-safe: used on the server's event loop only.
 */
final class TokenBucket {
    private final long bytesPerSecond;
    private final long capacityBytes;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastNanos;

    /** {@code bytesPerSecond} 0 means unlimited. */
    TokenBucket(long bytesPerSecond, LongSupplier nanoClock) {
        this.bytesPerSecond = bytesPerSecond;
        this.capacityBytes = bytesPerSecond;
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
