package org.kadshare.simulations.bench;

import java.util.List;
import java.util.Locale;
import org.kadshare.overlay.dht.DhtNode;
import org.kadshare.simulations.scenario.BrowseCrawl;
import org.kadshare.simulations.scenario.DhtHarness;
import org.kadshare.simulations.scenario.DhtNodeDriver;
import org.kadshare.simulations.sim.SimNode;

/**
 * How much of a network one {@code node browse} crawl samples: builds a simulated network of real
 * DHT cores in virtual time (no loss), has random nodes announce one key each, then crawls from
 * one node with several query budgets and prints, per budget, the share of the announced keys
 * sampled, the queries sent and answered, and the datagrams the crawl caused. Deterministic:
 * the figures depend on the arguments only.
 *
 * <pre>
 * mvn -B -q -pl simulations -am package -DskipTests
 * java -cp simulations/target/kadshare-simulations.jar org.kadshare.simulations.bench.BrowseCoverageBenchmark 1000 2000 16,64,256,1024
 * </pre>
 * Arguments: nodes, announced keys, comma-separated query budgets.
 */
public final class BrowseCoverageBenchmark {
    private BrowseCoverageBenchmark() {
    }

    public static void main(String[] args) {
        int nodes = args.length > 0 ? BenchArgs.parseCount("nodes", args[0], 2) : 1000;
        int keys = args.length > 1 ? BenchArgs.parseCount("keys", args[1], 1) : 2000;
        String budgets = args.length > 2 ? args[2] : "16,64,256,1024";
        DhtHarness<DhtNode> h = new DhtHarness<>(51, 0, DhtNodeDriver.withDefaults());
        h.bootstrap(nodes, 20, 30_000);
        List<SimNode<DhtNode>> publishers = h.pickLive(Math.min(keys, nodes));
        List<DhtHarness.Record> published = new java.util.ArrayList<>();
        while (published.size() < keys) {
            published.addAll(h.publish(publishers.subList(0, Math.min(publishers.size(), keys - published.size()))));
        }
        h.simulation().runFor(60_000);
        System.out.printf(Locale.ROOT, "%d nodes, %d keys announced%n", nodes, keys);
        System.out.println("| query budget | queries sent | answered | keys sampled (of announced) | datagrams |");
        System.out.println("|---|---|---|---|---|");
        for (String b : budgets.split(",")) {
            int budget = BenchArgs.parseCount("budget", b.strip(), 1);
            SimNode<DhtNode> from = h.pickLive(1).get(0);
            BrowseCrawl.Outcome o = BrowseCrawl.run(h, from, published, budget, 60_000);
            System.out.printf(Locale.ROOT, "| %d | %d | %d | %.1f%% (%d) | %d |%n", budget, o.queries(), o.answered(),
                    100 * o.coverage(), o.found(), o.datagrams());
        }
    }
}
