package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * The answer to a holder lookup: the addresses that announced the key, and how the lookup went.
 *
 * @param holders holder addresses (the lookup's and this node's own records), without repeats
 * @param trace   queries, rounds and timing of the lookup
 */
public record FoundHolders(List<InetSocketAddress> holders, LookupTrace trace) {
    /** Copies the list. */
    public FoundHolders {
        holders = List.copyOf(holders);
        Objects.requireNonNull(trace, "trace");
    }
}
