package org.kadshare.simulations.scenario;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What a lookup reported back: the holders it found, how many rounds (hops) it took, how many
 * queries it sent, and when the first answer carrying the record came.
 *
 * @param holders            holder addresses found (empty if none)
 * @param rounds             iterative rounds, or hops along the closest path, as the core counts
 *                           them; {@link #UNKNOWN} when the core does not say
 * @param queries            queries the lookup sent, or {@link #UNKNOWN}: the harness then counts
 *                           the datagrams the asking node sent while the lookup ran (an upper bound)
 * @param firstRecordRound   the round of the first answer that carried the record, or
 *                           {@link #UNKNOWN} (not reported, or no answer carried it)
 * @param firstRecordMillis  time from the start to that answer, or {@link #UNKNOWN}
 */
public record LookupOutcome(List<InetSocketAddress> holders, int rounds, int queries, int firstRecordRound,
                            long firstRecordMillis) {
    /** The value of a figure the core does not report. */
    public static final int UNKNOWN = -1;

    /** Copies the holder list. */
    public LookupOutcome {
        holders = List.copyOf(Objects.requireNonNull(holders, "holders"));
        if (rounds < UNKNOWN || queries < UNKNOWN || firstRecordRound < UNKNOWN || firstRecordMillis < UNKNOWN) {
            throw new IllegalArgumentException("negative figure: rounds=" + rounds + " queries=" + queries
                    + " firstRecordRound=" + firstRecordRound + " firstRecordMillis=" + firstRecordMillis);
        }
    }

    /** An outcome with only holders, rounds and queries known. */
    public static LookupOutcome of(List<InetSocketAddress> holders, int rounds, int queries) {
        return new LookupOutcome(holders, rounds, queries, UNKNOWN, UNKNOWN);
    }
}
