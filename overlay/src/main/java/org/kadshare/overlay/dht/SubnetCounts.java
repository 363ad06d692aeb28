package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * A growing set of trusted contacts' addresses, counted per subnet against an
 * {@link AddressDiversity} limit. Only counts are kept (no iteration), so hash order decides
 * nothing; it holds at most as many subnets as addresses were added, and callers add a bounded
 * number (a bucket, a lookup's result).
 */
final class SubnetCounts {
    private final AddressDiversity limit;
    private final Map<AddressDiversity.Subnet, Integer> counts = new HashMap<>();

    SubnetCounts(AddressDiversity limit) {
        this.limit = limit;
    }

    /** Whether one more contact at {@code address} stays within the limit. */
    boolean fits(InetAddress address) {
        for (AddressDiversity.Subnet s : limit.subnetsOf(address)) {
            if (counts.getOrDefault(s, 0) >= limit.perSubnet()) {
                return false;
            }
        }
        return true;
    }

    /** Counts {@code address} if it fits; false (and nothing counted) if it does not. */
    boolean tryAdd(InetAddress address) {
        if (!fits(address)) {
            return false;
        }
        for (AddressDiversity.Subnet s : limit.subnetsOf(address)) {
            counts.merge(s, 1, Integer::sum);
        }
        return true;
    }
}
