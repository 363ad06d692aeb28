package org.kadshare.overlay.node;

import java.util.function.Consumer;

/**
 * How to fetch: overwrite an existing destination or not, an overall timeout (0 = none), how long
 * to keep looking for holders when the DHT shows the content exists but names no holder yet, and a
 * listener for phase changes and progress (called from a node thread; must not block; may be null).
 *
 * <p>The holder wait covers the moments right after a {@code put} elsewhere, whose holder record
 * and manifest are stored in parallel, and a holder that has just restarted and not yet announced
 * again. Content the DHT knows nothing about (no manifest, no holder) fails at once.
 */
public record GetOptions(boolean overwrite, long timeoutMillis, long holderWaitMillis, Consumer<GetEvent> listener) {
    /** How long a get looks again for holders by default. */
    public static final long DEFAULT_HOLDER_WAIT_MILLIS = 10_000;

    /** Rejects a negative timeout or holder wait. */
    public GetOptions {
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " is negative");
        }
        if (holderWaitMillis < 0) {
            throw new IllegalArgumentException("holderWaitMillis " + holderWaitMillis + " is negative");
        }
    }

    /** No overwrite, no timeout, the default holder wait, no listener. */
    public static GetOptions defaults() {
        return new GetOptions(false, 0, DEFAULT_HOLDER_WAIT_MILLIS, null);
    }

    /** These options with overwriting an existing destination allowed or not. */
    public GetOptions withOverwrite(boolean allowed) {
        return new GetOptions(allowed, timeoutMillis, holderWaitMillis, listener);
    }

    /** These options with another timeout (0 = none). */
    public GetOptions withTimeoutMillis(long millis) {
        return new GetOptions(overwrite, millis, holderWaitMillis, listener);
    }

    /** These options with another holder wait (0 = fail at the first lookup that finds no holder). */
    public GetOptions withHolderWaitMillis(long millis) {
        return new GetOptions(overwrite, timeoutMillis, millis, listener);
    }

    /** These options with another listener. */
    public GetOptions withListener(Consumer<GetEvent> newListener) {
        return new GetOptions(overwrite, timeoutMillis, holderWaitMillis, newListener);
    }
}
