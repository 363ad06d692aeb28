package org.kadshare.overlay.node;

import java.util.function.Consumer;

/**
 * How to fetch: overwrite an existing destination or not, an overall timeout (0 = none), and a
 * listener for phase changes and progress (called from a node thread; must not block; may be null).
 */
public record GetOptions(boolean overwrite, long timeoutMillis, Consumer<GetEvent> listener) {
    /** Rejects a negative timeout. */
    public GetOptions {
        if (timeoutMillis < 0) {
            throw new IllegalArgumentException("timeoutMillis " + timeoutMillis + " is negative");
        }
    }

    /** No overwrite, no timeout, no listener. */
    public static GetOptions defaults() {
        return new GetOptions(false, 0, null);
    }

    /** These options with another timeout (0 = none). */
    public GetOptions withTimeoutMillis(long millis) {
        return new GetOptions(overwrite, millis, listener);
    }

    /** These options with another listener. */
    public GetOptions withListener(Consumer<GetEvent> newListener) {
        return new GetOptions(overwrite, timeoutMillis, newListener);
    }
}
