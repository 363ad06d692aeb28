package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A lookup along {@link LookupConfig#paths()} disjoint paths (S/Kademlia): the seeds, closest
 * first, are dealt round-robin to the paths; each path is a {@link Lookup} of its own, and no node
 * is asked by two paths (they share one set of claimed contacts). An attacker who answers with
 * its own nodes can so capture only the paths that reach it; the others go on through honest
 * nodes. The result, once every path has ended, is the union: the k closest responders of all
 * paths within the diversity limit, every holder and value (each reported once, as it arrives),
 * and the closest responder that lacked the value for a cache copy.
 *
 * <p>A path that found no value widens on its own ({@link LookupConfig#widenTo()}), so a get does
 * not end with nothing found while farther nodes were never asked. The paths count their answers
 * together ({@link PathAnswers}): a path whose own contacts are silent waits for them past the
 * hard timeout only while no path has an answer, so seeds that departed cost little.
 */
final class DisjointLookup implements Lookup.Finds {
    private final NodeId target;
    private final LookupConfig config;
    private final DhtEnvironment env;
    private final Lookup.Finds finds;
    private final Consumer<Lookup.Result> onDone;
    private final List<Lookup> paths = new ArrayList<>();
    private final List<Lookup.Result> ended = new ArrayList<>();
    private final LinkedHashSet<InetSocketAddress> peers = new LinkedHashSet<>();
    private final List<byte[]> values = new ArrayList<>();
    private long startedAtMillis;

    DisjointLookup(NodeId target, NodeId self, List<Contact> seeds, LookupConfig config, DhtEnvironment env,
                   RttEstimator rtt, Lookup.Querier querier, Lookup.Finds finds, Consumer<Lookup.Result> onDone) {
        this.target = target;
        this.config = config;
        this.env = env;
        this.finds = finds;
        this.onDone = onDone;
        int d = Math.max(1, Math.min(config.paths(), seeds.size()));
        List<List<Contact>> dealt = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            dealt.add(new ArrayList<>());
        }
        for (int i = 0; i < seeds.size(); i++) {
            dealt.get(i % d).add(seeds.get(i));
        }
        Set<NodeId> claimed = new HashSet<>();
        PathAnswers answers = new PathAnswers(() -> List.copyOf(paths).forEach(Lookup::recheck));
        for (List<Contact> pathSeeds : dealt) {
            paths.add(new Lookup(target, self, pathSeeds, config, env, rtt, querier, this, claimed, answers,
                    this::pathEnded));
        }
    }

    /** Starts every path. */
    void start() {
        startedAtMillis = env.nowMillis();
        for (Lookup path : List.copyOf(paths)) {
            path.start();
        }
    }

    @Override
    public void holder(InetSocketAddress address) {
        if (peers.size() < config.maxPeers() && peers.add(address)) {
            finds.holder(address);
        }
    }

    @Override
    public void value(byte[] value) {
        if (values.size() < config.maxValues() && values.stream().noneMatch(v -> Arrays.equals(v, value))) {
            values.add(value.clone());
            finds.value(value);
        }
    }

    private void pathEnded(Lookup.Result result) {
        ended.add(result);
        if (ended.size() == paths.size()) {
            onDone.accept(merged());
        }
    }

    private Lookup.Result merged() {
        TreeMap<NodeId, Lookup.Responder> byDistance = new TreeMap<>(target::compareDistance);
        Lookup.Responder cacheAt = null;
        int queried = 0;
        int responded = 0;
        int rounds = 0;
        int firstRound = LookupTrace.NONE;
        long firstMillis = LookupTrace.NONE;
        for (Lookup.Result r : ended) {
            r.closest().forEach(c -> byDistance.put(c.contact().id(), c));
            if (r.cacheAt() != null && (cacheAt == null
                    || target.compareDistance(r.cacheAt().contact().id(), cacheAt.contact().id()) < 0)) {
                cacheAt = r.cacheAt();
            }
            LookupTrace t = r.trace();
            queried += t.queried();
            responded += t.responded();
            rounds = Math.max(rounds, t.rounds());
            if (t.foundValue() && (firstMillis == LookupTrace.NONE || t.firstValueMillis() < firstMillis)) {
                firstMillis = t.firstValueMillis();
                firstRound = t.firstValueRound();
            }
        }
        List<Lookup.Responder> closest = new ArrayList<>();
        SubnetCounts trusted = new SubnetCounts(config.diversity());
        for (Lookup.Responder r : byDistance.values()) {
            if (closest.size() < config.k() && trusted.tryAdd(r.contact().address().getAddress())) {
                closest.add(r);
            }
        }
        boolean found = !peers.isEmpty() || !values.isEmpty();
        LookupTrace trace = new LookupTrace(queried, responded, rounds, firstRound, firstMillis,
                env.nowMillis() - startedAtMillis);
        return new Lookup.Result(target, List.copyOf(closest), List.copyOf(peers),
                values.stream().map(byte[]::clone).toList(), found ? cacheAt : null, trace);
    }
}
