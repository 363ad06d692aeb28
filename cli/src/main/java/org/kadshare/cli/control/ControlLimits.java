package org.kadshare.cli.control;

/**
 * The bounds of the control API, so that no local client, slow or hostile, can hold it up.
 *
 * @param headerTimeoutMillis a connection that has not sent a whole request head this long after
 *                            it opened (or after its previous reply) gets 408 and is closed
 * @param bodyTimeoutMillis   the same for the request body, counted from the end of the head
 * @param writeTimeoutMillis  a streaming reply whose client reads nothing for this long is closed
 * @param maxConnections      connections served at once; more wait in the listen backlog
 *                            (queued, not reset) until one closes
 * @param requestThreads      plain requests handled at once
 * @param requestQueue        plain requests waiting for a thread; beyond that, 503
 * @param streamThreads       streaming requests (a {@code get} each) at once; the same number may
 *                            wait, beyond that 503
 */
public record ControlLimits(long headerTimeoutMillis, long bodyTimeoutMillis, long writeTimeoutMillis,
        int maxConnections, int requestThreads, int requestQueue, int streamThreads) {
    public static final long DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_BODY_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_WRITE_TIMEOUT_MILLIS = 30_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 128;
    public static final int DEFAULT_REQUEST_THREADS = 8;
    public static final int DEFAULT_REQUEST_QUEUE = 1024;
    public static final int DEFAULT_STREAM_THREADS = 32;

    public ControlLimits {
        if (headerTimeoutMillis <= 0 || bodyTimeoutMillis <= 0 || writeTimeoutMillis <= 0) {
            throw new IllegalArgumentException("control API timeouts must be positive");
        }
        if (maxConnections < 1 || requestThreads < 1 || requestQueue < 0 || streamThreads < 1) {
            throw new IllegalArgumentException("control API limits must be at least 1 (queue: 0): " + maxConnections
                    + " connections, " + requestThreads + " threads, " + requestQueue + " queued, " + streamThreads
                    + " streams");
        }
    }

    public static ControlLimits defaults() {
        return new ControlLimits(DEFAULT_HEADER_TIMEOUT_MILLIS, DEFAULT_BODY_TIMEOUT_MILLIS,
                DEFAULT_WRITE_TIMEOUT_MILLIS, DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_THREADS, DEFAULT_REQUEST_QUEUE,
                DEFAULT_STREAM_THREADS);
    }

    public ControlLimits withHeaderTimeoutMillis(long millis) {
        return new ControlLimits(millis, bodyTimeoutMillis, writeTimeoutMillis, maxConnections, requestThreads,
                requestQueue, streamThreads);
    }

    public ControlLimits withMaxConnections(int n) {
        return new ControlLimits(headerTimeoutMillis, bodyTimeoutMillis, writeTimeoutMillis, n, requestThreads,
                requestQueue, streamThreads);
    }

    public ControlLimits withRequestThreads(int threads, int queue) {
        return new ControlLimits(headerTimeoutMillis, bodyTimeoutMillis, writeTimeoutMillis, maxConnections, threads,
                queue, streamThreads);
    }
}
