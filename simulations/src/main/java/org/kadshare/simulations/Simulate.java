package org.kadshare.simulations;

import java.io.PrintStream;
import java.util.List;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.simulations.scenario.DhtDriver;
import org.kadshare.simulations.scenario.ScenarioConfig;
import org.kadshare.simulations.scenario.Scenarios;
import org.kadshare.simulations.sim.Report;

/**
 * Runs one simulation scenario and prints its report.
 *
 * <pre>
 * java -cp simulations/target/kadshare-simulations.jar org.kadshare.simulations.Simulate \
 *     --scenario quiet|bootstrap|churn|partition|records|eclipse [--nodes N] [--lookups N]
 *     [--churn 1%/min] [--session exp|weibull:SHAPE] [--loss 1%] [--partition 10m]
 *     [--duration 10m] [--seed N] [--lookup-paths 2] [--diversity default|strict|off]
 *     [--deterministic-only]
 * </pre>
 *
 * The report's deterministic part is byte-identical for the same flags; wall time and heap per
 * node follow a separator line, and {@code --deterministic-only} leaves them out.
 */
public final class Simulate {
    private static final String USAGE = "usage: Simulate --scenario " + String.join("|", ScenarioConfig.SCENARIOS)
            + " [--nodes N] [--lookups N] [--churn P%/min|P%/h|none] [--session exp|weibull:SHAPE]"
            + " [--loss P%] [--partition DURATION] [--duration DURATION] [--seed N] [--lookup-paths N]"
            + " [--diversity default|strict|off] [--deterministic-only]";

    private Simulate() {
    }

    /** Entry point; exits with 2 on bad flags. */
    public static void main(String[] args) {
        try {
            List<String> rest = new java.util.ArrayList<>(List.of(args));
            run(rest, Drivers.dhtNode(rest), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("simulate: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /** Parses {@code args}, runs the scenario on {@code driver}, prints and returns the report. */
    public static <N extends DatagramReceiver> Report run(List<String> args, DhtDriver<N> driver, PrintStream out) {
        ScenarioConfig config = ScenarioConfig.parse(args);
        boolean deterministicOnly = args.contains("--deterministic-only");
        Runtime rt = Runtime.getRuntime();
        long[] wallMillis = new long[1];
        long[] heapBytes = new long[1];
        int[] nodesEver = new int[1];
        long startNanos = System.nanoTime();
        Report report = Scenarios.run(config, driver, sim -> {
            wallMillis[0] = (System.nanoTime() - startNanos) / 1_000_000;
            if (!deterministicOnly) {
                System.gc();
                heapBytes[0] = rt.totalMemory() - rt.freeMemory();
                nodesEver[0] = sim.nodes().size();
            }
        });
        if (!deterministicOnly) {
            report.hostLine("wall time", "%d ms", wallMillis[0])
                    .hostLine("heap in use at the end", "%.1f MiB, %.1f KiB per simulated node (%d nodes ever added)",
                            heapBytes[0] / 1048576.0, heapBytes[0] / 1024.0 / Math.max(1, nodesEver[0]), nodesEver[0])
                    .hostLine("max heap", "%.1f MiB", rt.maxMemory() / 1048576.0);
        }
        out.print(deterministicOnly ? report.deterministicText() : report.fullText());
        out.flush();
        return report;
    }
}
