package org.kadshare.overlay.dht;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/**
 * Deals records out fairly across their source IP addresses: the first record of each IP in
 * the given order, then each IP's second, and so on, so an answer holds as many distinct
 * addresses as it can and no address with many records can crowd out the others.
 */
final class RoundRobin {
    private RoundRobin() {
    }

    /** Up to {@code max} of {@code ordered}, one per IP a round, IPs in order of first appearance. */
    static <T> List<T> byIp(List<T> ordered, Function<T, InetAddress> ipOf, int max) {
        LinkedHashMap<InetAddress, ArrayDeque<T>> perIp = new LinkedHashMap<>();
        for (T t : ordered) {
            perIp.computeIfAbsent(ipOf.apply(t), ip -> new ArrayDeque<>()).add(t);
        }
        List<T> out = new ArrayList<>(Math.min(max, ordered.size()));
        while (out.size() < max && !perIp.isEmpty()) {
            Iterator<ArrayDeque<T>> round = perIp.values().iterator();
            while (round.hasNext() && out.size() < max) {
                ArrayDeque<T> queue = round.next();
                out.add(queue.poll());
                if (queue.isEmpty()) {
                    round.remove();
                }
            }
        }
        return out;
    }
}
