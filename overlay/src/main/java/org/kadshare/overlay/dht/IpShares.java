package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * How many records each source IP address holds in a store, with the IP holding the most always
 * at hand. A full store makes that IP give way to a newcomer with fewer records (max-min
 * fairness), so one address, however many ports or keys it uses, can take space only from itself
 * once others arrive, and an honest holder with a modest share is never pushed out. Ties are
 * broken by the address bytes, so the choice never depends on hash order.
 */
final class IpShares {
    private static final Comparator<byte[]> BYTES = Arrays::compareUnsigned;

    private final Map<InetAddress, Integer> counts = new HashMap<>();
    private final TreeSet<InetAddress> byCount = new TreeSet<>(Comparator
            .comparingInt((InetAddress ip) -> -counts.get(ip))
            .thenComparing(InetAddress::getAddress, BYTES));

    /** The records {@code ip} holds now. */
    int count(InetAddress ip) {
        return counts.getOrDefault(ip, 0);
    }

    void add(InetAddress ip) {
        Integer old = counts.get(ip);
        if (old != null) {
            byCount.remove(ip);
        }
        counts.put(ip, old == null ? 1 : old + 1);
        byCount.add(ip);
    }

    void remove(InetAddress ip) {
        Integer old = counts.get(ip);
        if (old == null) {
            throw new IllegalStateException("no record of " + ip.getHostAddress() + " to remove");
        }
        byCount.remove(ip);
        if (old == 1) {
            counts.remove(ip);
        } else {
            counts.put(ip, old - 1);
            byCount.add(ip);
        }
    }

    /**
     * The IP that must give way so that {@code newcomer} can add a record to a full store, or null
     * when none should: only an IP holding at least two records more than the newcomer does, so
     * the swap makes the shares more even.
     */
    InetAddress yieldingTo(InetAddress newcomer) {
        if (byCount.isEmpty()) {
            return null;
        }
        InetAddress largest = byCount.first();
        return counts.get(largest) >= count(newcomer) + 2 ? largest : null;
    }

    /** Source IPs with at least one record. */
    int sources() {
        return counts.size();
    }
}
