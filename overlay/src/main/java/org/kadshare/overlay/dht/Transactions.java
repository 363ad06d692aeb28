package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Our queries waiting for a reply, matched by (remote address, transaction ID) as Netty's DNS
 * resolver matches (server, id): a reply from another address, with an unknown ID or after the
 * timeout finds nothing and is dropped by the caller. IDs are two bytes from a counter that starts
 * at a random value; the number pending is bounded, and {@link #open} refuses beyond it.
 *
 * <p>A query may stay matchable after its timeout, for a late window: a reply then goes to the
 * late callback instead (the caller already moved on, but the reply still proves the peer alive
 * and still measures a round trip; without it a timeout shorter than the real RTT would never
 * see the samples that lengthen it).
 *
 * @param <R> the reply type handed to the waiting callback
 */
final class Transactions<R> {
    static final int ID_BYTES = 2;

    private record Key(InetSocketAddress address, int id) {}

    private static final class Pending<R> {
        final Consumer<R> onReply;
        final Runnable onTimeout;
        final Consumer<R> onLateReply;
        boolean late;
        DhtEnvironment.Cancellable timer;

        Pending(Consumer<R> onReply, Runnable onTimeout, Consumer<R> onLateReply) {
            this.onReply = onReply;
            this.onTimeout = onTimeout;
            this.onLateReply = onLateReply;
        }
    }

    private final DhtEnvironment env;
    private final int maxPending;
    private final Map<Key, Pending<R>> pending = new LinkedHashMap<>();
    private int next;

    Transactions(DhtEnvironment env, int maxPending) {
        if (maxPending < 1 || maxPending > 65_536) {
            throw new IllegalArgumentException("maxPending must be in 1..65536, got " + maxPending);
        }
        this.env = env;
        this.maxPending = maxPending;
        this.next = env.random().nextInt(65_536);
    }

    /**
     * Registers a query to {@code to} and returns its transaction ID, or null when too many are
     * pending. Exactly one of {@code onReply} and {@code onTimeout} runs later, never both.
     */
    byte[] open(InetSocketAddress to, long timeoutMillis, Consumer<R> onReply, Runnable onTimeout) {
        return open(to, timeoutMillis, timeoutMillis, onReply, onTimeout, reply -> { });
    }

    /**
     * {@link #open(InetSocketAddress, long, Consumer, Runnable)} with a late window: a reply that
     * comes after {@code timeoutMillis} (once {@code onTimeout} ran) but within {@code lateMillis}
     * of the open goes to {@code onLateReply}. The query counts as pending until {@code lateMillis}.
     */
    byte[] open(InetSocketAddress to, long timeoutMillis, long lateMillis, Consumer<R> onReply, Runnable onTimeout,
                Consumer<R> onLateReply) {
        if (pending.size() >= maxPending) {
            return null;
        }
        Key key;
        do {
            key = new Key(to, next);
            next = (next + 1) & 0xffff;
        } while (pending.containsKey(key));
        Pending<R> p = new Pending<>(onReply, onTimeout, onLateReply);
        Key k = key;
        pending.put(k, p);
        long rest = lateMillis - timeoutMillis;
        p.timer = env.schedule(timeoutMillis, () -> {
            if (pending.get(k) != p) {
                return;
            }
            if (rest > 0) {
                p.late = true;
                p.timer = env.schedule(rest, () -> pending.remove(k, p));
            } else {
                pending.remove(k);
            }
            p.onTimeout.run();
        });
        return new byte[] {(byte) (k.id >>> 8), (byte) k.id};
    }

    /** Hands {@code reply} to the query it answers; false when none matches (unknown or late). */
    boolean complete(InetSocketAddress from, byte[] transactionId, R reply) {
        if (transactionId == null || transactionId.length != ID_BYTES) {
            return false;
        }
        Pending<R> p = pending.remove(new Key(from, ((transactionId[0] & 0xff) << 8) | (transactionId[1] & 0xff)));
        if (p == null) {
            return false;
        }
        p.timer.cancel();
        if (p.late) {
            p.onLateReply.accept(reply);
        } else {
            p.onReply.accept(reply);
        }
        return true;
    }

    int pendingCount() {
        return pending.size();
    }
}
