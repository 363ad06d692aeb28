package org.kadshare.overlay.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.kadshare.overlay.krpc.ConnectBackQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcDecodeException;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.overlay.reach.ExternalAddressVote;

/**
 * connect_back on both sides: answering one (a TCP connection to the querier's own source
 * address, at the port it names, and, when it names a UDP port, a ping to that port from another
 * socket, bounded together by {@link ConnectBackLimit}) and asking peers for one to learn whether
 * they can reach this node ({@link #checkReachable}).
 */
final class ConnectBacks {
    /** How long a connect_back probe waits for the TCP connection to open. */
    static final long CONNECT_BACK_TIMEOUT_MILLIS = 2_000;

    private final DhtEnvironment env;
    private final NodeId id;
    private final RoutingTable table;
    private final OutboundQueries queries;
    private final DhtTally tally;
    private final ConnectBackLimit limit = new ConnectBackLimit();

    ConnectBacks(DhtEnvironment env, NodeId id, RoutingTable table, OutboundQueries queries, DhtTally tally) {
        this.env = env;
        this.id = id;
        this.table = table;
        this.queries = queries;
        this.tally = tally;
    }

    /**
     * Answers a connect_back once a TCP connection to the querier's own source address, at the
     * port it names, opened or failed ({@link ConnectBackLimit} bounds how many a minute; beyond
     * it the answer is error 202 at once).
     */
    void answer(InetSocketAddress from, ConnectBackQuery q, int queryBytes) {
        if (!limit.tryAcquire(from.getAddress(), env.nowMillis())) {
            tally.queriesRefused++;
            env.send(from, KrpcCodec.encode(new KrpcError(q.transactionId(), KrpcError.SERVER,
                    "connect_back refused: too many this minute", DhtNode.VERSION)));
            return;
        }
        tally.queriesAnswered++;
        queries.learn(new Contact(q.senderId(), from), false);
        Probes probes = new Probes(q.udpPort().isPresent() ? 2 : 1, (tcp, udp) -> env.send(from,
                AmplificationBudget.encodeTellingWhereFrom(KrpcResponse.connectBack(q.transactionId(), id, tcp, udp,
                        DhtNode.VERSION), from, queryBytes)));
        env.probeTcp(new InetSocketAddress(from.getAddress(), q.port()), CONNECT_BACK_TIMEOUT_MILLIS, probes::tcp);
        if (q.udpPort().isPresent()) {
            byte[] tid = new byte[2];
            env.random().nextBytes(tid);
            TransactionId t = TransactionId.of(tid);
            env.probeUdp(new InetSocketAddress(from.getAddress(), q.udpPort().getAsInt()),
                    KrpcCodec.encode(new PingQuery(t, id, DhtNode.VERSION)), CONNECT_BACK_TIMEOUT_MILLIS,
                    answer -> probes.udp(answer.map(a -> answers(a, t)).orElse(false)));
        }
    }

    /** Whether {@code datagram} is a KRPC response to the query with {@code t}. */
    private static boolean answers(byte[] datagram, TransactionId t) {
        try {
            return KrpcCodec.decode(datagram) instanceof KrpcResponse r && r.transactionId().equals(t);
        } catch (KrpcDecodeException e) {
            return false;
        }
    }

    /** The probes of one connect_back: the answer goes out once all of them ended. */
    private static final class Probes {
        private final java.util.function.BiConsumer<Boolean, Optional<Boolean>> done;
        private int left;
        private boolean tcp;
        private Optional<Boolean> udp = Optional.empty();

        Probes(int count, java.util.function.BiConsumer<Boolean, Optional<Boolean>> done) {
            this.left = count;
            this.done = done;
        }

        void tcp(boolean reached) {
            tcp = reached;
            end();
        }

        void udp(boolean reached) {
            udp = Optional.of(reached);
            end();
        }

        private void end() {
            if (--left == 0) {
                done.accept(tcp, udp);
            }
        }
    }

    /** See {@link DhtNode#checkReachable}. */
    CompletableFuture<ConnectBackResult> checkReachable(int port, OptionalInt udpPort, int peers) {
        long now = env.nowMillis();
        List<Contact> chosen = new ArrayList<>();
        List<Integer> subnets = new ArrayList<>();
        for (Contact c : table.contacts()) {
            InetAddress a = c.address().getAddress();
            if (chosen.size() < peers && a instanceof Inet4Address v4 && !isPrivate(a)
                    && table.stateOf(c.id(), now) == ContactState.GOOD) {
                int subnet = ExternalAddressVote.subnet24(v4);
                if (!subnets.contains(subnet)) {
                    subnets.add(subnet);
                    chosen.add(c);
                }
            }
        }
        CompletableFuture<ConnectBackResult> done = new CompletableFuture<>();
        if (chosen.isEmpty()) {
            done.complete(new ConnectBackResult(0, 0, 0));
            return done;
        }
        int[] answered = {0};
        int[] reached = {0};
        int[] udpAnswered = {0};
        int[] udpReached = {0};
        int[] left = {chosen.size()};
        Runnable one = () -> {
            if (--left[0] == 0) {
                done.complete(new ConnectBackResult(chosen.size(), answered[0], reached[0], udpAnswered[0],
                        udpReached[0]));
            }
        };
        for (Contact c : chosen) {
            queries.query(c.address(), c.id(), t -> new ConnectBackQuery(t, id, port, udpPort, DhtNode.VERSION),
                    reply -> {
                        if (reply instanceof KrpcResponse r && r.reached().isPresent()) {
                            answered[0]++;
                            if (r.reached().get()) {
                                reached[0]++;
                            }
                            if (udpPort.isPresent() && r.udpReached().isPresent()) {
                                udpAnswered[0]++;
                                if (r.udpReached().get()) {
                                    udpReached[0]++;
                                }
                            }
                        }
                        one.run();
                    }, one, true);
        }
        return done;
    }

    /** A site-local, loopback or link-local address: one peers outside cannot reach directly. */
    static boolean isPrivate(InetAddress a) {
        return a.isSiteLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress();
    }
}
