package org.kadshare.simulations.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.simulations.sim.Report;
import org.kadshare.simulations.sim.SimNode;
import org.kadshare.simulations.sim.Simulation;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.KeywordRecordCodec;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestException;
import org.kadshare.storage.NodeIdentity;

/**
 * The {@code search} scenario: every node publishes {@link #NAMES_PER_NODE} file names (so 1,000
 * nodes publish 10,000), each of {@link #WORDS_PER_NAME} words drawn uniformly from a vocabulary of
 * {@link #VOCABULARY_PER_NAME} words per name, filed under each word with one signed keyword
 * record (one Ed25519 publisher key per node, from the seed). Names carry no extension: a word
 * every file shares (".bin") names too many records for any answer to list one of them. After the records settle,
 * {@code --lookups} searches, spread over {@code --duration}, each from a random node other than
 * the publisher for one random word of one random name; a search succeeds when a verified record
 * of that name's content comes back. A search is one get_keywords lookup (a one-word
 * {@code node search} then looks up the holders of its best results, which this does not count).
 */
final class SearchScenario {
    /** Names each node publishes. */
    static final int NAMES_PER_NODE = 10;
    /** Words in each name. */
    static final int WORDS_PER_NAME = 3;
    /** Vocabulary size per published name: 3 words per name from 3 times as many words. */
    static final int VOCABULARY_PER_NAME = 3;
    /** Gap between two names being published, network-wide. */
    static final long PUBLISH_INTERVAL_MILLIS = 10;

    private record Name(ContentId id, List<String> words, SimNode<?> publisher) {}

    private SearchScenario() {
    }

    static <N extends DatagramReceiver> void run(ScenarioConfig c, DhtHarness<N> h, Report report) {
        if (!h.driver().storesKeywords()) {
            throw new IllegalArgumentException("the search scenario needs a core that stores keyword records");
        }
        Simulation<N> sim = h.simulation();
        RandomGenerator random = sim.scenarioRandom();
        List<SimNode<N>> publishers = h.pickLive(c.nodes());
        int count = publishers.size() * NAMES_PER_NODE;
        int vocabulary = count * VOCABULARY_PER_NAME;
        List<Name> names = new ArrayList<>(count);
        Map<String, Integer> uses = new HashMap<>();
        Map<SimNode<N>, NodeIdentity> keys = new HashMap<>();
        for (int i = 0; i < count; i++) {
            SimNode<N> p = publishers.get(i % publishers.size());
            NodeIdentity identity = keys.computeIfAbsent(p, n -> {
                byte[] seed = new byte[NodeIdentity.SEED_LENGTH_BYTES];
                random.nextBytes(seed);
                return NodeIdentity.fromSeed(seed);
            });
            StringBuilder name = new StringBuilder();
            for (int w = 0; w < WORDS_PER_NAME; w++) {
                name.append(w == 0 ? "" : " ").append(word(random.nextInt(vocabulary)));
            }
            byte[] content = new byte[ContentId.LENGTH_BYTES];
            random.nextBytes(content);
            Manifest m = Manifest.sign(ContentId.of(content), 1 + random.nextInt(1 << 30), name.toString(),
                    "application/octet-stream", 1_700_000_000L, identity);
            List<String> words = Keywords.of(m.name());
            words.forEach(w -> uses.merge(w, 1, Integer::sum));
            names.add(new Name(m.id(), words, p));
            List<byte[]> records = words.stream()
                    .map(w -> KeywordRecordCodec.encode(KeywordRecord.sign(w, m, identity))).toList();
            sim.scheduler().schedule(i * PUBLISH_INTERVAL_MILLIS, () -> {
                if (p.isLive()) {
                    records.forEach(r -> h.driver().putKeyword(p.core(), r));
                }
            });
        }
        int maxUses = uses.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        report.line("search names", "%d names of %d words from %d, %d distinct words, at most %d names a word",
                count, WORDS_PER_NAME, vocabulary, uses.size(), maxUses);
        sim.runFor(count * PUBLISH_INTERVAL_MILLIS + Scenarios.PUBLISH_MILLIS);
        searches(c, h, names, random).appendTo(report, "search");
    }

    /** Lowercase letters for {@code n} in base 26, at least 4 long: a word that normalises to itself. */
    private static String word(int n) {
        StringBuilder s = new StringBuilder("w");
        int v = n;
        do {
            s.append((char) ('a' + v % 26));
            v /= 26;
        } while (v > 0 || s.length() < 4);
        return s.toString();
    }

    private static <N extends DatagramReceiver> LookupMetrics searches(ScenarioConfig c, DhtHarness<N> h,
                                                                      List<Name> names, RandomGenerator random) {
        Simulation<N> sim = h.simulation();
        LookupMetrics m = new LookupMetrics();
        int total = c.lookups();
        long step = Math.max(1, c.durationMillis() / Math.max(1, total));
        List<SimNode<N>> nodes = h.pickLive(c.nodes());
        for (int i = 0; i < total; i++) {
            sim.scheduler().schedule(i * step, () -> {
                Name name = names.get(random.nextInt(names.size()));
                String word = name.words().get(random.nextInt(name.words().size()));
                SimNode<N> asker = nodes.get(random.nextInt(nodes.size()));
                if (asker == name.publisher() || !asker.isLive()) {
                    asker = nodes.get((nodes.indexOf(asker) + 1) % nodes.size());
                }
                SimNode<N> from = asker;
                long start = sim.nowMillis();
                long sentBefore = from.environment().datagramsSent();
                m.started++;
                h.driver().findKeywords(from.core(), NodeId.of(Keywords.dhtKey(word)), found ->
                        sim.scheduler().schedule(0, () -> {
                            m.latencyMillis.add(sim.nowMillis() - start);
                            m.queries.add(from.environment().datagramsSent() - sentBefore);
                            if (found.stream().anyMatch(r -> isOf(r, name.id()))) {
                                m.succeeded++;
                            } else {
                                m.failed++;
                            }
                        }));
            });
        }
        sim.runFor(total * step + Scenarios.GRACE_MILLIS);
        return m;
    }

    private static boolean isOf(byte[] encoded, ContentId id) {
        try {
            return KeywordRecordCodec.decode(encoded).manifest().id().equals(id);
        } catch (ManifestException e) {
            return false;
        }
    }

}
