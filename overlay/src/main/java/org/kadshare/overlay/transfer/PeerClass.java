package org.kadshare.overlay.transfer;

import java.net.InetAddress;
import java.util.Locale;

/**
 * Where a peer is, as far as its address tells: this machine, a private or link-local network,
 * or the public internet. Metrics count bytes up and down by it.
 */
public enum PeerClass {
    LOOPBACK, PRIVATE, PUBLIC;

    /** The class of {@code address}. */
    public static PeerClass of(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return LOOPBACK;
        }
        if (address.isSiteLocalAddress() || address.isLinkLocalAddress() || uniqueLocal(address)) {
            return PRIVATE;
        }
        return PUBLIC;
    }

    /** IPv6 unique local addresses (fc00::/7), which {@link InetAddress} does not call site-local. */
    private static boolean uniqueLocal(InetAddress address) {
        byte[] raw = address.getAddress();
        return raw.length == 16 && (raw[0] & 0xfe) == 0xfc;
    }

    /** The label metrics use: {@code loopback}, {@code private}, {@code public}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
