package org.kadshare.simulations.swarm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints the flash-crowd figures: one seeder, M getters arriving within a minute, for each M
 * given (default 10, 100, 1000), in virtual time with the download core real nodes run.
 *
 * <pre>
 * mvn -B -q -pl simulations -am package -DskipTests
 * java -cp simulations/target/kadshare-simulations.jar org.kadshare.simulations.swarm.FlashCrowd [seed] [M...]
 * </pre>
 */
public final class FlashCrowd {
    private FlashCrowd() {
    }

    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            // the benchmarks' quiet logging: a thousand downloads' DEBUG lines would bury the table
            System.setProperty("logback.configurationFile", "org/kadshare/simulations/bench/logback-bench.xml");
        }
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        List<Integer> crowds = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            crowds.add(Integer.parseInt(args[i]));
        }
        if (crowds.isEmpty()) {
            crowds = List.of(10, 100, 1_000);
        }
        System.out.println("| getters M | completed | last done (s) | last arrival (s) | longest get (s) "
                + "| median get (s) | seeder upload share | fetched twice / uploaded | wall clock | events |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int m : crowds) {
            long started = System.nanoTime();
            SwarmReport r = Swarm.run(SwarmConfig.flashCrowd(seed, m));
            System.out.printf(Locale.ROOT, "%s %.1f s | %d |%n", r.tableRow(), (System.nanoTime() - started) / 1e9,
                    r.events());
        }
    }
}
