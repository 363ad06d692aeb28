package org.kadshare.overlay.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;

/**
 * How many contacts of one subnet a node trusts together: in a lookup's result, among the nodes a
 * record is stored on, and in one routing-table bucket. A subnet is an IPv4 /24 or /16, or an
 * IPv6 /64 or /48; at most {@code perSubnet} contacts may share any of them (libtorrent and IPFS
 * bound them alike). Eight attacker nodes on eight addresses of one /24, with node IDs chosen next
 * to a key, so count as two, and honest nodes take the other slots.
 *
 * <p>Loopback, private (10/8, 172.16/12, 192.168/16, IPv6 fc00::/7), link-local and unspecified
 * addresses are exempt when {@code exemptLocal}, as BEP 42 exempts them: a home or test network
 * lives on one such subnet. {@link #strict()} removes the exemption (tests, operators of a
 * private network that should be held to the limits).
 *
 * @param perSubnet   contacts of one subnet trusted together (at least 1)
 * @param exemptLocal whether loopback and private addresses are left unlimited
 */
public record AddressDiversity(int perSubnet, boolean exemptLocal) {
    /** The limit of libtorrent's and IPFS's routing tables. */
    public static final int DEFAULT_PER_SUBNET = 2;

    /** A subnet of one of the counted prefix lengths. */
    record Subnet(boolean v6, int bits, long prefix) {}

    public AddressDiversity {
        if (perSubnet < 1) {
            throw new IllegalArgumentException("perSubnet must be at least 1, got " + perSubnet);
        }
    }

    /** At most 2 per subnet; loopback and private ranges exempt. */
    public static AddressDiversity defaults() {
        return new AddressDiversity(DEFAULT_PER_SUBNET, true);
    }

    /** At most 2 per subnet, loopback and private ranges included. */
    public static AddressDiversity strict() {
        return new AddressDiversity(DEFAULT_PER_SUBNET, false);
    }

    /** No limit at all (for comparison runs). */
    public static AddressDiversity unlimited() {
        return new AddressDiversity(Integer.MAX_VALUE, true);
    }

    /** This limit with the loopback and private exemption set to {@code on}. */
    public AddressDiversity withExemptLocal(boolean on) {
        return new AddressDiversity(perSubnet, on);
    }

    /** Whether {@code address} is left out of the count. */
    boolean exempt(InetAddress address) {
        if (!exemptLocal) {
            return false;
        }
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        return b.length == 16 && (b[0] & 0xfe) == 0xfc;
    }

    /** The subnets {@code address} counts against; none when it is exempt. */
    List<Subnet> subnetsOf(InetAddress address) {
        if (exempt(address)) {
            return List.of();
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            long v = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8);
            return List.of(new Subnet(false, 24, v), new Subnet(false, 16, v & 0xffff0000L));
        }
        long high = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (b[i] & 0xffL);
        }
        return List.of(new Subnet(true, 64, high), new Subnet(true, 48, high & 0xffffffffffff0000L));
    }
}
