package org.kadshare.overlay.dht;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.kadshare.overlay.krpc.Token;

/**
 * A crawl of the DHT with BEP 51 {@code sample_infohashes}, bounded in queries (and, by whoever
 * runs it, in time): it asks the seeds, then every node the answers name, breadth first, at most
 * {@code parallel} at a time and {@code maxQueries} in all, and collects the sampled keys.
 *
 * <p>Design note. As a {@link Lookup} is, the crawl is an object with explicit per-contact state
 * (heard of, asked) and a function it calls to ask; it holds no clock and sends nothing itself,
 * so it is tested with a scripted asker. An answer that withheld samples (the querier had not
 * proven its address: see the amplification limit) puts its node at the front of the queue once
 * more, to be asked with the token it gave. Everything a peer influences is bounded: contacts
 * heard of by {@code maxQueries} times the nodes one answer carries, keys by {@code maxKeys}.
 * Which node is asked next depends only on the order of the answers, never on hash order.
 */
final class SampleCrawl {
    /** Asks {@code to} for a sample, carrying {@code token} unless null. */
    interface Asker {
        void ask(Contact to, Token token, Consumer<Answer> onAnswer, Runnable onFailure);
    }

    /** A node's answer: the contacts it named, its samples, how many it withheld, its token (or null). */
    record Answer(List<Contact> nodes, List<NodeId> samples, int withheld, long num, Token token) {
        Answer {
            nodes = List.copyOf(nodes);
            samples = List.copyOf(samples);
        }
    }

    private record Pending(Contact contact, Token token) {}

    private final int maxQueries;
    private final int maxKeys;
    private final int parallel;
    private final Asker asker;
    private final Consumer<SampledKeys> onDone;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private final Set<NodeId> heardOf = new HashSet<>();
    private final Set<NodeId> askedWithToken = new HashSet<>();
    private final Map<NodeId, Integer> keys = new LinkedHashMap<>();
    private int sent;
    private int inFlight;
    private int answered;
    private long storedReported;
    private boolean done;

    SampleCrawl(List<Contact> seeds, NodeId self, int maxQueries, int maxKeys, int parallel, Asker asker,
            Consumer<SampledKeys> onDone) {
        if (maxQueries < 0 || maxKeys < 0 || parallel < 1) {
            throw new IllegalArgumentException("crawl bounds must not be negative (parallel at least 1): queries="
                    + maxQueries + " keys=" + maxKeys + " parallel=" + parallel);
        }
        this.maxQueries = maxQueries;
        this.maxKeys = maxKeys;
        this.parallel = parallel;
        this.asker = asker;
        this.onDone = onDone;
        heardOf.add(self);
        seeds.forEach(this::heard);
    }

    /** Counts {@code sampled} as reported by one node (this node's own keys, before the crawl starts). */
    void reported(List<NodeId> sampled) {
        sampled.forEach(this::count);
    }

    /** Sends the first queries; with nothing to ask, ends at once. */
    void start() {
        pump();
    }

    /** Ends the crawl now with what is known (its time is up); later answers are ignored. */
    void stop() {
        finish();
    }

    private void heard(Contact c) {
        if (heardOf.add(c.id())) {
            queue.addLast(new Pending(c, null));
        }
    }

    private void count(NodeId key) {
        Integer n = keys.get(key);
        if (n != null) {
            keys.put(key, n + 1);
        } else if (keys.size() < maxKeys) {
            keys.put(key, 1);
        }
    }

    private void pump() {
        while (!done && inFlight < parallel && sent < maxQueries && !queue.isEmpty()) {
            Pending next = queue.pollFirst();
            sent++;
            inFlight++;
            asker.ask(next.contact(), next.token(), answer -> answered(next, answer), this::failed);
        }
        if (!done && inFlight == 0 && (queue.isEmpty() || sent >= maxQueries)) {
            finish();
        }
    }

    private void answered(Pending from, Answer answer) {
        inFlight--;
        if (done) {
            return;
        }
        answered++;
        storedReported += answer.num();
        answer.samples().forEach(this::count);
        if (answer.withheld() > 0 && answer.token() != null && askedWithToken.add(from.contact().id())) {
            queue.addFirst(new Pending(from.contact(), answer.token()));
        }
        answer.nodes().forEach(this::heard);
        pump();
    }

    private void failed() {
        inFlight--;
        pump();
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        List<SampledKeys.Key> out = new ArrayList<>();
        keys.forEach((k, n) -> out.add(new SampledKeys.Key(k, n)));
        out.sort(Comparator.comparingInt(SampledKeys.Key::reports).reversed().thenComparing(SampledKeys.Key::key));
        onDone.accept(new SampledKeys(out, sent, answered, heardOf.size() - 1, storedReported));
    }
}
