package org.kadshare.overlay.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.LinkedHashSet;
import java.util.Optional;
import org.kadshare.overlay.krpc.ClientVersion;
import org.kadshare.overlay.krpc.ConnectToMeQuery;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PeerInfo;
import org.kadshare.overlay.krpc.ReverseConnectQuery;
import org.kadshare.overlay.krpc.ReverseCookie;
import org.kadshare.overlay.krpc.TransactionId;

/**
 * The DHT's part in a reverse connection, which lets a holder that cannot be reached serve a
 * getter that can: the relay's and the holder's decisions (docs/ARCHITECTURE.md, "Reachability").
 *
 * <p>Design note. Three nodes take part. The getter sends {@code connect_to_me} to the relay, the
 * node that listed the holder as relayed; it carries the token that relay gave the getter, so its
 * source IP is proven to receive the relay's datagrams. The relay forwards a
 * {@code reverse_connect} naming that source IP (never an address from the query) and the port
 * to the UDP address the holder's announce came from, which the holder's NAT lets in. The holder
 * takes a {@code reverse_connect} only from a node it announced to as unreachable, or a
 * {@code connect_to_me} straight from a getter it answered itself, and only for content it
 * announces; it then asks its {@link ReverseDialer} to connect. Both ends count what they pass
 * ({@link ReverseConnectLimit}): a relay forwards at most {@link #RELAY_PER_MINUTE} a minute, 10
 * per getter IP and 6 per holder; a holder dials at most {@link #DIALS_PER_MINUTE} a minute, 4 per
 * getter IP and content. So no one can use a relay or a holder to send datagrams or connections
 * to a third party, or many of them anywhere. Sans-IO: time comes in as arguments, and sending
 * goes through the {@link Forwarder} the node gives.
 */
final class ReverseConnections {
    /** connect_to_me forwarded a minute, in all. */
    static final int RELAY_PER_MINUTE = 60;
    /** Reverse connections a holder opens a minute, in all. */
    static final int DIALS_PER_MINUTE = 20;
    /** Relays (nodes this one announced to as unreachable) whose reverse_connect is taken. */
    static final int REMEMBERED_RELAYS = 256;
    /**
     * How often an unreachable node pings its latest relays, so that its NAT keeps the bindings
     * their reverse_connect comes in through: under the 30 s a NAT commonly keeps a UDP binding.
     */
    static final long KEEP_OPEN_MILLIS = 25_000;
    /** Relays pinged that often (the latest ones): at most about one ping a second. */
    static final int KEPT_OPEN = 24;

    /** Sends a relay's reverse_connect to a holder. */
    interface Forwarder {
        void forward(InetSocketAddress holderUdp, NodeId key, InetSocketAddress getter,
                ReverseCookie cookie);
    }

    /** What the holder side needs to know of the node. */
    interface Holding {
        /** Whether this node announces {@code key} (serves its content). */
        boolean announces(NodeId key);

        /** Whether this node announces itself as unreachable. */
        boolean unreachable();
    }

    private final NodeId self;
    private final Optional<ClientVersion> version;
    private final HolderStore holders;
    private final Holding holding;
    private final Forwarder forwarder;
    private final ReverseConnectLimit relayed = new ReverseConnectLimit(RELAY_PER_MINUTE, 10, 6);
    private final ReverseConnectLimit dials = new ReverseConnectLimit(DIALS_PER_MINUTE, 4, 4);
    private final LinkedHashSet<InetSocketAddress> relays = new LinkedHashSet<>();
    private ReverseDialer dialer = ReverseDialer.NONE;

    ReverseConnections(NodeId self, Optional<ClientVersion> version, HolderStore holders, Holding holding,
            Forwarder forwarder) {
        this.self = self;
        this.version = version;
        this.holders = holders;
        this.holding = holding;
        this.forwarder = forwarder;
    }

    void dialer(ReverseDialer dialer) {
        this.dialer = Objects.requireNonNull(dialer, "dialer");
    }

    /** A node that accepted this node's announce as unreachable: its reverse_connect is taken. */
    void announcedTo(InetSocketAddress relay) {
        relays.remove(relay);
        relays.add(relay);
        if (relays.size() > REMEMBERED_RELAYS) {
            Iterator<InetSocketAddress> oldest = relays.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    /** The latest {@code max} nodes this one announced to as unreachable, newest first. */
    List<InetSocketAddress> latestRelays(int max) {
        List<InetSocketAddress> all = new ArrayList<>(relays);
        Collections.reverse(all);
        return List.copyOf(all.subList(0, Math.min(max, all.size())));
    }

    /**
     * The relay's (or, when the getter asks the holder itself, the holder's) answer to a getter's
     * connect_to_me from {@code from} whose token was checked: forwarded, or why not.
     */
    KrpcMessage connectToMe(InetSocketAddress from, ConnectToMeQuery q, long nowMillis) {
        InetSocketAddress getter = new InetSocketAddress(from.getAddress(), q.port());
        InetSocketAddress holder = q.holder().address();
        InetSocketAddress holderUdp = holders.relayOf(q.infoHash(), holder, nowMillis);
        if (holderUdp == null) {
            if (holding.unreachable() && holding.announces(q.infoHash())) {
                return dial(q.transactionId(), q.infoHash(), getter, q.cookie(), nowMillis);
            }
            return new KrpcError(q.transactionId(), KrpcError.GENERIC, "no relayed holder " + holder
                    + " of this key here", version);
        }
        if (!relayed.tryAcquire(from.getAddress(), holder, nowMillis)) {
            return new KrpcError(q.transactionId(), KrpcError.SERVER, "connect_to_me refused: too many this minute",
                    version);
        }
        forwarder.forward(holderUdp, q.infoHash(), getter, q.cookie());
        return KrpcResponse.ofId(q.transactionId(), self, version);
    }

    /**
     * This node as the relay of a holder whose record it keeps, for its own download: sends the
     * reverse_connect naming this node at {@code selfToward} the holder and {@code port}. Null
     * once sent, or why not.
     */
    String relayOwn(NodeId key, InetSocketAddress holder, int port, ReverseCookie cookie,
            Function<InetSocketAddress, InetAddress> selfToward, long nowMillis) {
        InetSocketAddress holderUdp = holders.relayOf(key, holder, nowMillis);
        if (holderUdp == null) {
            return "the record of relayed holder " + holder + " expired";
        }
        InetAddress me = selfToward.apply(holderUdp);
        if (me == null) {
            return "no address of this node toward " + holderUdp;
        }
        if (!relayed.tryAcquire(me, holder, nowMillis)) {
            return "too many reverse connections through this node this minute";
        }
        forwarder.forward(holderUdp, key, new InetSocketAddress(me, port), cookie);
        return null;
    }

    /** The holder's answer to a relay's reverse_connect from {@code from}. */
    KrpcMessage reverseConnect(InetSocketAddress from, ReverseConnectQuery q, long nowMillis) {
        if (!relays.contains(from)) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "reverse_connect from a node this one"
                    + " did not announce to", version);
        }
        if (!holding.announces(q.infoHash())) {
            return new KrpcError(q.transactionId(), KrpcError.GENERIC, "this node does not serve that key", version);
        }
        return dial(q.transactionId(), q.infoHash(), q.getter().address(), q.cookie(), nowMillis);
    }

    private KrpcMessage dial(TransactionId tid, NodeId key, InetSocketAddress getter,
            ReverseCookie cookie, long nowMillis) {
        InetAddress ip = getter.getAddress();
        if (!dials.tryAcquire(ip, key, nowMillis)) {
            return new KrpcError(tid, KrpcError.SERVER, "reverse connection refused: too many this minute", version);
        }
        dialer.dial(key, getter, cookie);
        return KrpcResponse.ofId(tid, self, version);
    }

    /** The relayed list of a get_peers answer: {@code own} (this node, when unreachable) first. */
    List<PeerInfo> relayedOf(NodeId key, InetSocketAddress own, int max, long nowMillis) {
        List<PeerInfo> found = new ArrayList<>();
        if (own != null) {
            found.add(new PeerInfo(own));
        }
        for (InetSocketAddress a : holders.relayed(key, max, nowMillis)) {
            if (found.size() < max && a.getAddress() instanceof Inet4Address && !a.equals(own)) {
                found.add(new PeerInfo(a));
            }
        }
        return found;
    }
}
