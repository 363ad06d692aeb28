package org.kadshare.overlay.transfer.server;

import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The reverse connections this node's downloads wait for, by cookie: a holder that cannot be
 * reached connects to the block server and names the cookie in its reverse hello
 * ({@link ReverseAccept}), and the connection goes to the download that asked. A cookie is
 * random, used once and waited for a bounded time; at most {@link #MAX_WAITING} wait at once, so
 * nothing here grows with what peers send (an unknown cookie only closes its connection). Safe
 * from any thread: downloads add on their own threads, the block server takes on its loop.
 */
final class ReverseWaits {
    /** Reverse connections waited for at once, over all downloads. */
    static final int MAX_WAITING = 256;

    private final ConcurrentHashMap<ByteBuffer, CompletableFuture<Channel>> waiting = new ConcurrentHashMap<>();

    /**
     * Waits for the connection naming {@code cookie}, at most {@code timeoutMillis}: completes with
     * its channel, deregistered from the block server's loop (the caller registers it on its own),
     * or fails with a {@link TimeoutException}, or at once when too many wait.
     */
    CompletableFuture<Channel> await(byte[] cookie, long timeoutMillis) {
        CompletableFuture<Channel> arrives = new CompletableFuture<>();
        ByteBuffer key = ByteBuffer.wrap(cookie.clone());
        if (waiting.size() >= MAX_WAITING || waiting.putIfAbsent(key, arrives) != null) {
            arrives.completeExceptionally(new IllegalStateException("too many reverse connections awaited ("
                    + MAX_WAITING + ")"));
            return arrives;
        }
        arrives.orTimeout(timeoutMillis, TimeUnit.MILLISECONDS).whenComplete((ch, e) -> waiting.remove(key, arrives));
        return arrives;
    }

    /** The wait for {@code cookie}, removed, or null when nobody waits for it. */
    CompletableFuture<Channel> take(byte[] cookie) {
        return waiting.remove(ByteBuffer.wrap(cookie));
    }
}
