package org.kadshare.simulations.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * The simulated address plan: node slot {@code i} lives at IPv4 {@code 10.x.y.z:6881} where
 * {@code x.y.z} is {@code i + 1} in base 256. The addresses are only values (built from raw bytes,
 * never resolved, never bound), each node has a distinct IP, and the slot is read back from the
 * address without a map.
 */
public final class SimAddresses {
    /** The UDP port every simulated node uses. */
    public static final int PORT = 6881;
    /** Number of distinct addresses the plan has room for. */
    public static final int CAPACITY = (1 << 24) - 2;

    private SimAddresses() {
    }

    /** The address of node slot {@code index}. */
    public static InetSocketAddress of(int index) {
        if (index < 0 || index >= CAPACITY) {
            throw new IllegalArgumentException("node slot " + index + " outside 0.." + (CAPACITY - 1));
        }
        int n = index + 1;
        byte[] ip = {10, (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), PORT);
        } catch (UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }

    /** The slot of a simulated address, or -1 when {@code address} is not one. */
    public static int indexOf(InetSocketAddress address) {
        if (address == null || address.getPort() != PORT || address.getAddress() == null) {
            return -1;
        }
        byte[] ip = address.getAddress().getAddress();
        if (ip.length != 4 || ip[0] != 10) {
            return -1;
        }
        int n = ((ip[1] & 0xff) << 16) | ((ip[2] & 0xff) << 8) | (ip[3] & 0xff);
        return n == 0 || n > CAPACITY ? -1 : n - 1;
    }
}
