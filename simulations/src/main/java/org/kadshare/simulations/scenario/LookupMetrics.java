package org.kadshare.simulations.scenario;

import org.kadshare.simulations.sim.Report;
import org.kadshare.simulations.sim.Samples;

/**
 * Counts and distributions of one batch of lookups: how many were started, succeeded, failed,
 * never finished, or were abandoned because the asking node went away; latency, rounds and
 * queries of the finished ones, and for those that found the record, the round and time of the
 * first answer that carried it.
 */
public final class LookupMetrics {
    final Samples latencyMillis = new Samples();
    final Samples rounds = new Samples();
    final Samples queries = new Samples();
    final Samples firstRecordRound = new Samples();
    final Samples firstRecordMillis = new Samples();
    int started;
    int succeeded;
    int failed;
    int abandoned;
    int across;
    int acrossSucceeded;

    LookupMetrics() {
    }

    /** Lookups started. */
    public int started() {
        return started;
    }

    /** Lookups that found the holder they looked for. */
    public int succeeded() {
        return succeeded;
    }

    /** Lookups that finished without the holder they looked for. */
    public int failed() {
        return failed;
    }

    /** Lookups whose asking node crashed or left before the answer. */
    public int abandoned() {
        return abandoned;
    }

    /** Lookups still open when the batch was closed. */
    public int unfinished() {
        return started - succeeded - failed - abandoned;
    }

    /** Lookups whose asker and publisher were on different sides of an open partition. */
    public int acrossPartition() {
        return across;
    }

    /** Succeeded / (started - abandoned); 1 when nothing counted. */
    public double successRate() {
        int counted = started - abandoned;
        return counted == 0 ? 1.0 : (double) succeeded / counted;
    }

    /** Adds this batch's lines to {@code report}, each key prefixed by {@code label}. */
    public void appendTo(Report report, String label) {
        report.line(label + " lookups", "started=%d succeeded=%d failed=%d unfinished=%d abandoned=%d",
                started, succeeded, failed, unfinished(), abandoned);
        report.line(label + " success rate", "%.4f", successRate());
        if (across > 0) {
            report.line(label + " across the partition", "started=%d succeeded=%d", across, acrossSucceeded);
        }
        report.percentiles(label + " latency", latencyMillis, "ms");
        if (rounds.count() > 0 || latencyMillis.count() == 0) {
            report.percentiles(label + " rounds", rounds, "");
        } else {
            report.line(label + " rounds", "not reported by the core");
        }
        report.percentiles(label + " queries per lookup", queries, "");
        if (firstRecordRound.count() > 0) {
            report.percentiles(label + " round of first record", firstRecordRound, "");
            report.percentiles(label + " time to first record", firstRecordMillis, "ms");
        }
    }
}
