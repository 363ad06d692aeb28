package org.kadshare.overlay.transfer.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import org.kadshare.storage.MerkleTree;

/**
 * A schedule driven to the end in virtual time against holders with a rate and a one-way delay
 * each: a request reaches its holder after the delay, waits behind the holder's earlier requests,
 * takes its length over the rate to send, and arrives after the delay again. A cancel reaches the
 * holder after the delay and drops the request if it has not started. Every span arriving is
 * verified at once, every peer is refilled after each event, and stalls are looked for every
 * 50 ms, as the download core does.
 */
final class LinkModel {
    private static final long MS = 1_000_000L;
    private static final long TICK_NANOS = 50 * MS;

    private final DownloadSchedule schedule;
    private final double[] bytesPerSecond;
    private final long[] oneWayNanos;
    private final long lengthBytes;
    private final List<ArrayDeque<Queued>> queues = new ArrayList<>();
    private final long[] busyUntil;
    /** Each holder's TCP congestion window in bytes, or null for links that send at their rate at once. */
    private final double[] cwnd;
    private final TreeMap<Long, List<Runnable>> events = new TreeMap<>();
    private final BitSet cancelled = new BitSet();
    final long[] bytesServed;
    final long[] lastArrivalNanos;
    final TreeMap<Integer, Integer>[] heightsAsked;
    final int[] maxDepth;
    int lastPeer = -1;
    long endNanos;
    long duplicateBytes;

    private record Queued(SpanRequest request, long atHolderNanos) {
    }

    /**
     * Holders at {@code mibPerSecond} and {@code oneWayMillis} each. With {@code slowStart}, each
     * holder's link also starts like TCP: a congestion window of ten segments that grows by every
     * byte sent while the holder had at least half a window's worth queued (as Linux: a link kept
     * short of data does not grow its window), and sends at most a window per round trip.
     */
    @SuppressWarnings("unchecked")
    LinkModel(long lengthBytes, ScheduleConfig config, double[] mibPerSecond, long[] oneWayMillis,
            boolean slowStart) {
        this.lengthBytes = lengthBytes;
        this.schedule = new DownloadSchedule(lengthBytes, new BitSet(), config);
        int n = mibPerSecond.length;
        bytesPerSecond = new double[n];
        oneWayNanos = new long[n];
        busyUntil = new long[n];
        bytesServed = new long[n];
        lastArrivalNanos = new long[n];
        heightsAsked = new TreeMap[n];
        cwnd = slowStart ? new double[n] : null;
        maxDepth = new int[n];
        BitSet all = new BitSet();
        all.set(0, (int) MerkleTree.leafCount(lengthBytes));
        for (int p = 0; p < n; p++) {
            bytesPerSecond[p] = mibPerSecond[p] * (1 << 20);
            oneWayNanos[p] = oneWayMillis[p] * MS;
            queues.add(new ArrayDeque<>());
            heightsAsked[p] = new TreeMap<>();
            if (cwnd != null) {
                cwnd[p] = 10 * 1448;
            }
        }
        for (int p = 0; p < n; p++) {
            int peer = p;
            // connect, then the handshakes: two round trips; the RTT sample is the handshake exchange's
            // (as the node measures it)
            at(4 * oneWayNanos[p], () -> {
                schedule.addPeer(peer, all, 4 * oneWayNanos[peer]);
                schedule.observeRtt(peer, 2 * oneWayNanos[peer], 4 * oneWayNanos[peer]);
            });
        }
    }

    /** Runs to the end (or to {@code limitNanos}); returns the time the last span arrived. */
    long run(long limitNanos) {
        for (long t = TICK_NANOS; t < limitNanos; t += TICK_NANOS) {
            at(t, () -> schedule.findStalls(now));
        }
        while (!schedule.isComplete()) {
            var next = events.pollFirstEntry();
            if (next == null || next.getKey() > limitNanos) {
                throw new AssertionError("the download did not complete by " + limitNanos / MS + " ms");
            }
            now = next.getKey();
            next.getValue().forEach(Runnable::run);
            for (int p = 0; p < bytesPerSecond.length; p++) {
                fill(p);
            }
        }
        endNanos = now;
        return now;
    }

    private long now;

    private void at(long nanos, Runnable r) {
        events.computeIfAbsent(nanos, k -> new ArrayList<>()).add(r);
    }

    private void fill(int peer) {
        if (!schedule.hasPeer(peer)) {
            return;
        }
        for (SpanRequest r : schedule.nextRequests(peer, now)) {
            heightsAsked[peer].merge(r.height(), 1, Integer::sum);
            maxDepth[peer] = Math.max(maxDepth[peer], schedule.outstanding(peer));
            long atHolder = now + oneWayNanos[peer];
            at(atHolder, () -> {
                queues.get(peer).add(new Queued(r, atHolder));
                serve(peer);
            });
        }
    }

    private void serve(int peer) {
        ArrayDeque<Queued> q = queues.get(peer);
        while (!q.isEmpty() && busyUntil[peer] <= now) {
            Queued next = q.poll();
            if (cancelled.get((int) next.request().id())) {
                continue;
            }
            SpanRequest r = next.request();
            long done = now + sendNanos(peer, r.lengthBytes(), q);
            busyUntil[peer] = done;
            at(done, () -> serve(peer));
            at(done + oneWayNanos[peer], () -> arrived(r));
        }
    }

    /**
     * How long the holder takes to send {@code bytes}: at its rate, or with a congestion window,
     * at the window per round trip, the window growing by every byte sent (doubling each round
     * trip, continuously) while at least half a window's worth is queued, up to the rate.
     */
    private long sendNanos(int peer, long bytes, ArrayDeque<Queued> q) {
        double rate = bytesPerSecond[peer];
        if (cwnd == null) {
            return (long) (bytes * 1e9 / rate);
        }
        double rtt = (2 * oneWayNanos[peer] + MS) / 1e9;
        double capWindow = rate * rtt;
        double w = Math.min(cwnd[peer], capWindow);
        long backlog = bytes;
        for (Queued o : q) {
            backlog += o.request().lengthBytes();
        }
        if (w >= capWindow || backlog < cwnd[peer] / 2) {
            return (long) (bytes * 1e9 / (w / rtt));
        }
        if (w + bytes <= capWindow) {
            cwnd[peer] = w + bytes;
            return (long) (rtt * Math.log1p(bytes / w) * 1e9);
        }
        cwnd[peer] = capWindow;
        return (long) ((rtt * Math.log(capWindow / w) + (bytes - (capWindow - w)) / rate) * 1e9);
    }

    private void arrived(SpanRequest r) {
        bytesServed[r.peer()] += r.lengthBytes();
        lastArrivalNanos[r.peer()] = now;
        if (!schedule.onArrived(r.id(), now)) {
            duplicateBytes += r.lengthBytes();
            return;
        }
        lastPeer = r.peer();
        for (SpanRequest loser : schedule.onVerified(r.id())) {
            at(now + oneWayNanos[loser.peer()], () -> cancelled.set((int) loser.id()));
        }
    }

    /** The download's rate over the ideal: the file's length over the sum of the rates, against the time taken. */
    double shareOfRates() {
        double sum = 0;
        for (double b : bytesPerSecond) {
            sum += b;
        }
        return lengthBytes / sum / (endNanos / 1e9);
    }
}
