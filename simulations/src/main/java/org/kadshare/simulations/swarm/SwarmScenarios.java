package org.kadshare.simulations.swarm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kadshare.simulations.swarm.HolderSpec.Fault;

/**
 * The named swarm scenarios and their runner: a slow far holder among fast ones, holders leaving
 * mid-transfer, and one faulty holder among honest ones (silent at the handshake, in the leaf
 * layer, in the middle of a span; BUSY to everyone). Each prints whether every get ended (none may
 * hang), completion times and what each special holder uploaded; the same seed gives the same
 * lines.
 *
 * <pre>
 * java -cp simulations/target/kadshare-simulations.jar org.kadshare.simulations.swarm.SwarmScenarios \
 *     [--scenario NAME|all] [--getters M] [--seed N]
 * </pre>
 */
public final class SwarmScenarios {
    /** The scenarios, in the order {@code all} runs them. */
    public static final List<String> NAMES = List.of("slow-far-holder", "holders-leave", "silent-at-handshake",
            "silent-in-leaf-layer", "silent-mid-span", "busy-holder");
    private static final long MIB = 1 << 20;

    private SwarmScenarios() {
    }

    /**
     * The run of scenario {@code name}: an 8 MiB file on holders only (no seeder of the flash-crowd
     * kind), {@code getters} getters arriving within 10 s with 4 MiB/s up and 16 MiB/s down, 10 to
     * 50 ms one way, 1% of spans retransmitted, a 10-minute limit.
     */
    public static SwarmConfig config(String name, long seed, int getters) {
        List<HolderSpec> holders = switch (name) {
            case "slow-far-holder" -> List.of(HolderSpec.honest(20 * MIB, 10), HolderSpec.honest(20 * MIB, 10),
                    HolderSpec.honest(20 * MIB, 10), HolderSpec.honest(MIB, 150));
            case "holders-leave" -> List.of(new HolderSpec(10 * MIB, 20, 1_000, Fault.NONE),
                    new HolderSpec(10 * MIB, 20, 2_000, Fault.NONE), new HolderSpec(10 * MIB, 20, 3_000, Fault.NONE),
                    HolderSpec.honest(10 * MIB, 20));
            case "silent-at-handshake" -> withHonest(Fault.SILENT_AT_HANDSHAKE);
            case "silent-in-leaf-layer" -> withHonest(Fault.SILENT_IN_LEAF_LAYER);
            case "silent-mid-span" -> withHonest(Fault.SILENT_MID_SPAN);
            case "busy-holder" -> withHonest(Fault.BUSY);
            default -> throw new IllegalArgumentException("unknown swarm scenario " + name + "; one of "
                    + String.join(", ", NAMES));
        };
        // getters leave once done in holders-leave, so the departures are felt; elsewhere they stay
        long stays = name.equals("holders-leave") ? 0 : -1;
        return new SwarmConfig(seed, (int) (8 * MIB), 0, getters, 10_000, 20 * MIB, 4 * MIB, 16 * MIB, 10, 50, 0.01,
                16, 20, 5_000, -1, stays, 600_000, holders);
    }

    /** The faulty holder first (every getter's first pick is as likely to be it), then two honest ones. */
    private static List<HolderSpec> withHonest(Fault fault) {
        return List.of(new HolderSpec(10 * MIB, 20, -1, fault), HolderSpec.honest(10 * MIB, 20),
                HolderSpec.honest(10 * MIB, 20));
    }

    /** One report line: scenario, gets ended, hung, times, what each special holder uploaded. */
    public static String line(String name, SwarmReport r) {
        List<String> uploads = new ArrayList<>();
        for (long b : r.holderUploadBytes()) {
            uploads.add(String.format(Locale.ROOT, "%.1f", b / (double) MIB));
        }
        return String.format(Locale.ROOT, "| %s | %d / %d | %d | %d | %.1f | %.1f | %.1f | %s |", name, r.completed(),
                r.getters(), r.failed(), r.unfinished(), r.lastDoneMillis() / 1000.0, r.longestDownloadMillis() / 1000.0,
                r.medianDownloadMillis() / 1000.0, String.join(" / ", uploads));
    }

    /** Entry point; exits with 2 on bad flags, 1 if a get hung or failed. */
    public static void main(String[] args) {
        String scenario = "all";
        int getters = 20;
        long seed = 1;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--scenario" -> scenario = required(args[i], value);
                    case "--getters" -> getters = Integer.parseInt(required(args[i], value));
                    case "--seed" -> seed = Long.parseLong(required(args[i], value));
                    default -> throw new IllegalArgumentException("unknown flag " + args[i]);
                }
                i++;
            }
            List<String> names = scenario.equals("all") ? NAMES : List.of(scenario);
            for (String name : names) {
                config(name, seed, getters);
            }
            System.out.println("| scenario | completed | failed | hung | last done (s) | longest get (s) "
                    + "| median get (s) | MiB uploaded by each holder |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            boolean allEnded = true;
            for (String name : names) {
                SwarmReport r = Swarm.run(config(name, seed, getters));
                System.out.println(line(name, r));
                allEnded &= r.completed() == r.getters();
            }
            System.exit(allEnded ? 0 : 1);
        } catch (IllegalArgumentException e) {
            System.err.println("swarm-scenarios: " + e.getMessage());
            System.err.println("usage: SwarmScenarios [--scenario " + String.join("|", NAMES)
                    + "|all] [--getters M] [--seed N]");
            System.exit(2);
        }
    }

    private static String required(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }
}
