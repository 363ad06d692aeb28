package org.kadshare.overlay.transfer.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Which connections the server lets in: at most {@code maxTotal} open, and at most
 * {@code maxPerIp} from one IP address, so one host cannot take the places of others. The map
 * has an entry only per address with a connection open, so it is bounded by {@code maxTotal}.
 * Not thread-safe: used on the server's event loop only.
 */
final class Admission {
    private final int maxTotal;
    private final int maxPerIp;
    private final Map<InetAddress, Integer> perIp = new HashMap<>();
    private int total;

    Admission(int maxTotal, int maxPerIp) {
        this.maxTotal = maxTotal;
        this.maxPerIp = maxPerIp;
    }

    /** Admits a connection from {@code ip} and returns null, or returns why it is refused. */
    String admit(InetAddress ip) {
        if (total >= maxTotal) {
            return "this node has " + total + " connections open, its limit";
        }
        int fromIp = perIp.getOrDefault(ip, 0);
        if (fromIp >= maxPerIp) {
            return "this node has " + fromIp + " connections open from " + ip.getHostAddress()
                    + ", its limit per address";
        }
        perIp.put(ip, fromIp + 1);
        total++;
        return null;
    }

    /** A connection {@link #admit admitted} from {@code ip} closed. */
    void release(InetAddress ip) {
        Integer fromIp = perIp.get(ip);
        if (fromIp == null) {
            throw new IllegalStateException("no connection from " + ip + " was admitted");
        }
        if (fromIp == 1) {
            perIp.remove(ip);
        } else {
            perIp.put(ip, fromIp - 1);
        }
        total--;
    }

    /** Connections open. */
    int total() {
        return total;
    }
}
