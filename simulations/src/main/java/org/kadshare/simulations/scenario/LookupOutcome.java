package org.kadshare.simulations.scenario;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * What a lookup reported back: the holders it found, how many rounds (hops) it took and how many
 * queries it sent.
 *
 * @param holders  holder addresses found (empty if none)
 * @param rounds   iterative rounds, or hops along the closest path, as the core counts them
 * @param queries  queries the lookup sent
 */
public record LookupOutcome(List<InetSocketAddress> holders, int rounds, int queries) {
    /** Copies the holder list. */
    public LookupOutcome {
        holders = List.copyOf(Objects.requireNonNull(holders, "holders"));
        if (rounds < 0 || queries < 0) {
            throw new IllegalArgumentException("negative rounds " + rounds + " or queries " + queries);
        }
    }
}
