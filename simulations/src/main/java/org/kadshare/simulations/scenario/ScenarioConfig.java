package org.kadshare.simulations.scenario;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.kadshare.simulations.sim.SessionLengths;

/**
 * The parameters of one scenario run, parsed from command-line flags.
 *
 * @param scenario         which scenario: one of {@link #SCENARIOS}
 * @param nodes            network size
 * @param lookups          number of measured lookups
 * @param churn            session lengths of churned nodes, or null for no churn
 * @param churnLabel       how churn was given on the command line ("none" if off)
 * @param gracefulFraction share of churn departures that leave gracefully (the rest crash)
 * @param lossRate         probability that a datagram is lost
 * @param partitionMillis  how long the 50/50 partition stays open
 * @param durationMillis   virtual length of the measured phase
 * @param seed             the seed of the whole run
 */
public record ScenarioConfig(String scenario, int nodes, int lookups, SessionLengths churn, String churnLabel,
                             double gracefulFraction, double lossRate, long partitionMillis,
                             long durationMillis, long seed) {

    /** The scenario names {@code --scenario} accepts. */
    public static final List<String> SCENARIOS = List.of("bootstrap", "quiet", "churn", "partition", "records",
            "eclipse");

    /** Validates every parameter. */
    public ScenarioConfig {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(churnLabel, "churnLabel");
        if (!SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("unknown scenario '" + scenario + "'; one of " + SCENARIOS);
        }
        if (nodes < 2 || nodes > 1_000_000) {
            throw new IllegalArgumentException("--nodes must be within [2, 1000000]: " + nodes);
        }
        if (lookups < 0 || lookups > 10_000_000) {
            throw new IllegalArgumentException("--lookups must be within [0, 10000000]: " + lookups);
        }
        if (!(lossRate >= 0 && lossRate < 1)) {
            throw new IllegalArgumentException("--loss must be within [0, 1): " + lossRate);
        }
        if (!(gracefulFraction >= 0 && gracefulFraction <= 1)) {
            throw new IllegalArgumentException("graceful fraction must be within [0, 1]: " + gracefulFraction);
        }
        if (partitionMillis < 0 || durationMillis < 1) {
            throw new IllegalArgumentException("durations must be positive: partition=" + partitionMillis
                    + " ms, duration=" + durationMillis + " ms");
        }
    }

    /** Defaults: 500 nodes, 200 lookups, no churn, no loss, a 10-minute partition, a 10-minute phase. */
    public static ScenarioConfig defaults(String scenario) {
        boolean churned = scenario.equals("churn");
        return new ScenarioConfig(scenario, 500, 200,
                churned ? SessionLengths.ofLeaveRate(0.01) : null, churned ? "1%/min" : "none",
                0.5, 0, 600_000, 600_000, 1);
    }

    /**
     * Parses {@code --scenario NAME --nodes N --lookups N --churn P%/min|P%/h|none
     * --session exp|weibull:SHAPE --loss P|P% --partition DURATION --duration DURATION --seed N}.
     * Unknown flags fail; {@code --deterministic-only} is ignored here (the runner reads it).
     */
    public static ScenarioConfig parse(List<String> args) {
        String scenario = "quiet";
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--scenario")) {
                scenario = value(args, i);
            }
        }
        ScenarioConfig c = defaults(scenario);
        int nodes = c.nodes;
        int lookups = c.lookups;
        String churnLabel = c.churnLabel;
        String session = "exp";
        double loss = c.lossRate;
        long partition = c.partitionMillis;
        long duration = c.durationMillis;
        long seed = c.seed;
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            switch (flag) {
                case "--scenario" -> i++;
                case "--deterministic-only" -> { }
                case "--nodes" -> nodes = (int) number(args, i++);
                case "--lookups" -> lookups = (int) number(args, i++);
                case "--churn" -> churnLabel = value(args, i++);
                case "--session" -> session = value(args, i++);
                case "--loss" -> loss = parseFraction(args.get(i), value(args, i++));
                case "--partition" -> partition = Durations.parseMillis(value(args, i++));
                case "--duration" -> duration = Durations.parseMillis(value(args, i++));
                case "--seed" -> seed = number(args, i++);
                default -> throw new IllegalArgumentException("unknown flag: " + flag);
            }
        }
        SessionLengths churn = parseChurn(churnLabel, session);
        return new ScenarioConfig(scenario, nodes, lookups, churn, churn == null ? "none" : churnLabel,
                c.gracefulFraction, loss, partition, duration, seed);
    }

    /**
     * Session lengths for a leave rate such as {@code 1%/min} or {@code 30%/h}, or null for
     * {@code none} / {@code 0%/min}. With {@code session = weibull:SHAPE} the sessions are Weibull
     * with the same median as the exponential sessions of that rate.
     */
    static SessionLengths parseChurn(String label, String session) {
        String t = label.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none") || t.equals("0")) {
            return null;
        }
        int slash = t.indexOf("%/");
        if (slash < 0) {
            throw new IllegalArgumentException("--churn must look like 1%/min or 10%/h: " + label);
        }
        double percent;
        try {
            percent = Double.parseDouble(t.substring(0, slash));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--churn must look like 1%/min or 10%/h: " + label, e);
        }
        String per = t.substring(slash + 2);
        double perMinute = switch (per) {
            case "min", "m" -> percent / 100;
            case "h", "hour" -> percent / 100 / 60;
            default -> throw new IllegalArgumentException("--churn rate must be per min or per h: " + label);
        };
        if (perMinute == 0) {
            return null;
        }
        SessionLengths exponential = SessionLengths.ofLeaveRate(perMinute);
        String s = session.trim().toLowerCase(Locale.ROOT);
        if (s.equals("exp")) {
            return exponential;
        }
        if (s.startsWith("weibull:")) {
            try {
                return SessionLengths.weibull(Double.parseDouble(s.substring(8)), exponential.medianMillis());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--session weibull:SHAPE needs a number: " + session, e);
            }
        }
        throw new IllegalArgumentException("--session must be exp or weibull:SHAPE: " + session);
    }

    private static double parseFraction(String flag, String text) {
        String t = text.trim();
        try {
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " needs a fraction such as 0.01 or 1%: " + text, e);
        }
    }

    private static long number(List<String> args, int i) {
        String text = value(args, i);
        try {
            long n = Long.parseLong(text.trim());
            if (!args.get(i).equals("--seed") && (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE)) {
                throw new NumberFormatException("out of int range");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args.get(i) + " needs a whole number: " + text, e);
        }
    }

    private static String value(List<String> args, int i) {
        if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(args.get(i) + " needs a value");
        }
        return args.get(i + 1);
    }
}
