package org.kadshare.overlay.reach;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The node's external address as its peers see it, decided by a vote: each answer to one of our
 * queries says where our datagram came from (BEP 42's "ip"), and the IP address a majority of
 * the recent voters report wins once at least {@link #MIN_VOTERS} of them agree. One voter is one
 * /24 (a peer can run many nodes in its own subnet but not in many), its latest report counts,
 * reports older than {@link #VOTE_TTL_MILLIS} no longer count, and at most {@link #MAX_VOTERS}
 * voters are kept (the one heard from longest ago leaves first), so a peer can neither outvote
 * the others alone nor grow the table. Sans-IO: the caller passes the time.
 */
public final class ExternalAddressVote {
    /**
     * Distinct voters (/24 subnets) that must agree before an address is believed: two, as a routing
     * bucket keeps only two contacts of one /16 (AddressDiversity), and the strict majority below
     * still keeps one dissenting voter from deciding.
     */
    public static final int MIN_VOTERS = 2;
    /** Voters remembered at most. */
    public static final int MAX_VOTERS = 64;
    /** How long a report counts: an address that changed is believed again within this time. */
    public static final long VOTE_TTL_MILLIS = 30 * 60_000L;

    private record Vote(InetSocketAddress reported, long atMillis) {}

    /** Voter subnet to its latest vote, in the order they were last heard. */
    private final Map<Integer, Vote> votes = new LinkedHashMap<>();

    /**
     * Records that the peer at {@code voter} saw our datagram come from {@code reported}; a voter
     * that is not IPv4 or reports a non-IPv4 address is ignored.
     */
    public void observe(InetAddress voter, InetSocketAddress reported, long nowMillis) {
        if (!(voter instanceof Inet4Address v4) || reported == null
                || !(reported.getAddress() instanceof Inet4Address)) {
            return;
        }
        int subnet = subnet24(v4);
        votes.remove(subnet);
        votes.put(subnet, new Vote(reported, nowMillis));
        while (votes.size() > MAX_VOTERS) {
            Iterator<Integer> oldest = votes.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * The IP address more than half of the current voters report, if at least
     * {@link #MIN_VOTERS} of them do, with the port most of those report (the lowest on a tie: a
     * NAT that gives each peer another port makes the port a guess); empty otherwise.
     */
    public Optional<InetSocketAddress> winner(long nowMillis) {
        votes.values().removeIf(v -> nowMillis - v.atMillis() > VOTE_TTL_MILLIS);
        Map<String, Integer> perAddress = new TreeMap<>();
        for (Vote v : votes.values()) {
            perAddress.merge(v.reported().getAddress().getHostAddress(), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : perAddress.entrySet()) {
            if (e.getValue() >= MIN_VOTERS && e.getValue() * 2 > votes.size()) {
                return Optional.of(withLikeliestPort(e.getKey()));
            }
        }
        return Optional.empty();
    }

    private InetSocketAddress withLikeliestPort(String address) {
        Map<Integer, Integer> perPort = new TreeMap<>();
        InetAddress ip = null;
        for (Vote v : votes.values()) {
            if (v.reported().getAddress().getHostAddress().equals(address)) {
                perPort.merge(v.reported().getPort(), 1, Integer::sum);
                ip = v.reported().getAddress();
            }
        }
        int best = 0;
        int bestCount = 0;
        for (Map.Entry<Integer, Integer> e : perPort.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return new InetSocketAddress(ip, best);
    }

    /** Current voters (each /24 counted once). */
    public int voters() {
        return votes.size();
    }

    /** The /24 of an IPv4 address, as one number: what counts as one voter (or one checking peer). */
    public static int subnet24(Inet4Address v4) {
        byte[] b = v4.getAddress();
        return ((b[0] & 0xff) << 16) | ((b[1] & 0xff) << 8) | (b[2] & 0xff);
    }
}
