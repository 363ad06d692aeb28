package org.kadshare.overlay.dht;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The results of one streaming find, in the order they arrived, each handed to the caller's
 * consumer once: a repeat (the same holder from two answers, a manifest the node also stores
 * itself) is neither kept nor reported again. A consumer that throws breaks the contract of a
 * find: the find's future fails with that exception and the consumer hears nothing more. The
 * count is bounded by the caller (a lookup keeps at most its configured number of values).
 *
 * @param <T> what is found (holder addresses, encoded manifests)
 */
final class Arrivals<T> {
    private final Function<T, Object> identity;
    private final Consumer<T> consumer;
    private final CompletableFuture<?> find;
    private final Map<Object, T> seen = new LinkedHashMap<>();

    /**
     * @param identity what makes two finds the same ({@code equals} and {@code hashCode} by value)
     * @param consumer told of each new find
     * @param find     the future failed when the consumer throws
     */
    Arrivals(Function<T, Object> identity, Consumer<T> consumer, CompletableFuture<?> find) {
        this.identity = identity;
        this.consumer = consumer;
        this.find = find;
    }

    /** Keeps {@code item} and tells the consumer, unless it arrived before. */
    void offer(T item) {
        if (seen.putIfAbsent(identity.apply(item), item) != null || find.isDone()) {
            return;
        }
        try {
            consumer.accept(item);
        } catch (RuntimeException e) {
            find.completeExceptionally(e);
        }
    }

    /** Everything kept so far, in arrival order. */
    List<T> all() {
        return new ArrayList<>(seen.values());
    }
}
