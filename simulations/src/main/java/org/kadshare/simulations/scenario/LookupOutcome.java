package org.kadshare.simulations.scenario;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What a lookup reported back: the holders it found, how many rounds (hops) it took and how many
 * queries it sent.
 *
 * @param holders  holder addresses found (empty if none)
 * @param rounds   iterative rounds, or hops along the closest path, as the core counts them;
 *                 {@link #UNKNOWN} when the core does not say
 * @param queries  queries the lookup sent, or {@link #UNKNOWN}: the harness then counts the
 *                 datagrams the asking node sent while the lookup ran (an upper bound)
 */
public record LookupOutcome(List<InetSocketAddress> holders, int rounds, int queries) {
    /** The value of {@code rounds} or {@code queries} when the core does not report it. */
    public static final int UNKNOWN = -1;

    /** Copies the holder list. */
    public LookupOutcome {
        holders = List.copyOf(Objects.requireNonNull(holders, "holders"));
        if (rounds < UNKNOWN || queries < UNKNOWN) {
            throw new IllegalArgumentException("negative rounds " + rounds + " or queries " + queries);
        }
    }
}
