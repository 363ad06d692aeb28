package org.kadshare.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.kadshare.overlay.node.PutResult;

/**
 * A put through a running node answers once its holder record is stored (or after
 * {@link #WAIT_MILLIS}): a get on another node right after the put would otherwise look before
 * the record is anywhere and say the content is not found (on the test network, three tries in
 * four with no pause between the commands: docs/BENCHMARKS.md, "A get right after a put").
 */
final class AnnounceWait {
    /** The longest a put waits for its announce; the announce goes on after it either way. */
    static final long WAIT_MILLIS = 10_000;

    private AnnounceWait() {
    }

    /** How many nodes took the holder record, once {@code announced} completed within {@code millis}; else empty. */
    static OptionalInt await(CompletableFuture<Integer> announced, long millis) {
        try {
            Integer n = announced.get(millis, TimeUnit.MILLISECONDS);
            return n == null ? OptionalInt.empty() : OptionalInt.of(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** The put's reply with {@code announcedTo} (nodes that took the holder record) when the announce ended in time. */
    static Map<String, Object> reply(PutResult put) {
        Map<String, Object> m = new LinkedHashMap<>(NodeJson.put(put));
        await(put.announced(), WAIT_MILLIS).ifPresent(n -> m.put("announcedTo", n));
        return m;
    }
}
