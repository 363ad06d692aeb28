package org.kadshare.overlay.dht;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.overlay.reach.ExternalAddressVote;

/**
 * The queries this node sends and what their answers and silences teach it. A query waits for its
 * pacing turn to the peer ({@link QueryPacer}), is matched to its reply by {@link Transactions},
 * and times out after the RTT-derived hard timeout ({@link RttEstimator}). Every response refreshes
 * the routing table (a contact heard from, see {@link #learn}), feeds the RTT estimate and casts the
 * responder's vote on our external address; a silence may count a failure of the contact the
 * routing table then wants confirmed with a ping.
 */
final class OutboundQueries {
    /**
     * How long one of our own queries may wait for its turn to a peer before it is refused. Long:
     * a node with few peers that runs many lookups at once (a burst of gets, a re-announce sweep)
     * queues hundreds of queries to each, and a refused query ends its lookup with nothing found;
     * the queue is bounded by this node's own lookups, never by what a peer sends.
     */
    static final long MAX_PACING_DELAY_MILLIS = 60_000;

    /** Makes the query to send once its transaction ID is known. */
    interface QueryMaker {
        KrpcQuery make(TransactionId tid);
    }

    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final DhtTally tally;
    private final KrpcTraffic traffic;
    private final ExternalAddressVote externalVote;
    private final RttEstimator rtt;
    private final Transactions<KrpcMessage> transactions;
    private final QueryPacer pacer;

    OutboundQueries(DhtEnvironment env, NodeId id, DhtConfig config, RoutingTable table, DhtTally tally,
                    KrpcTraffic traffic, ExternalAddressVote externalVote) {
        this.env = env;
        this.id = id;
        this.config = config;
        this.table = table;
        this.tally = tally;
        this.traffic = traffic;
        this.externalVote = externalVote;
        this.rtt = new RttEstimator(config.rttInitialMillis(), config.rttMinMillis(), config.rttMaxMillis(),
                config.queryTimeoutMillis());
        this.transactions = new Transactions<>(env, config.maxPendingQueries());
        this.pacer = new QueryPacer(paced(config.queriesPerSecond()), paced(config.queryBurst()),
                MAX_PACING_DELAY_MILLIS, config.rateLimitedSources());
    }

    /** 80% of a peer's per-source limit, so that our pace stays under it with a margin. */
    private static int paced(int peerLimit) {
        return Math.max(1, peerLimit * 4 / 5);
    }

    RttEstimator rtt() {
        return rtt;
    }

    int pendingCount() {
        return transactions.pendingCount();
    }

    /** Hands a reply from {@code from} to the query it answers; false if it answers none. */
    boolean complete(InetSocketAddress from, KrpcMessage reply) {
        return transactions.complete(from, reply.transactionId().toBytes(), reply);
    }

    /**
     * Adds or refreshes a routing contact, pinging a questionable one when the table asks to. A
     * contact added because it queried us has never answered us, so it is not good yet (BEP 5): it
     * is pinged once, which makes a node that joined through us a live contact (or, when its
     * source address was forged, leaves it questionable). A contact that failed us within the
     * questionable interval is not pinged again when it comes back with a query, so an address
     * that never answers gets the ping and its confirmation, not one per query it is named in.
     */
    void learn(Contact contact, boolean response) {
        if (!(contact.address().getAddress() instanceof Inet4Address)) {
            return;
        }
        boolean failedBefore = !response && table.seenFailing(contact.id(), env.nowMillis());
        RoutingTable.Insertion insertion = table.heardFrom(contact, response, env.nowMillis());
        if (insertion.kind() == RoutingTable.Insertion.Kind.PING_FIRST) {
            Contact old = insertion.toPing();
            ping(old);
        } else if (insertion.kind() == RoutingTable.Insertion.Kind.ADDED && !response && !failedBefore) {
            ping(contact);
        }
    }

    /** Pings {@code contact}; its answer or silence reaches the routing table through {@link #query}. */
    void ping(Contact contact) {
        query(contact.address(), contact.id(), tid -> new PingQuery(tid, id, DhtNode.VERSION), reply -> { }, () -> { });
    }

    /**
     * Sends a query; a response updates the routing table and the RTT estimate before
     * {@code onReply} runs. After the RTT-derived hard timeout it counts as unanswered: a failure of
     * {@code expected} (when known) if the routing table counts it, then a ping to confirm when the
     * table asks for one, then {@code onTimeout}. A reply that comes later, up to
     * {@link DhtConfig#queryTimeoutMillis()} after sending, still updates the table and the
     * estimate (so a timeout that was too short for a loaded peer or network grows again). Returns
     * the pacing delay: 0 if sent now, negative if refused.
     */
    long query(InetSocketAddress to, NodeId expected, QueryMaker maker,
               Consumer<KrpcMessage> onReply, Runnable onTimeout) {
        return query(to, expected, maker, onReply, onTimeout, false);
    }

    /**
     * {@link #query}; a {@code patient} one waits the whole query timeout instead of the RTT-based
     * hard timeout, for a peer that has just answered us and whose answer nothing else replaces.
     */
    long query(InetSocketAddress to, NodeId expected, QueryMaker maker,
               Consumer<KrpcMessage> onReply, Runnable onTimeout, boolean patient) {
        return paced(to, () -> send(to, expected, maker, onReply, onTimeout, onTimeout, patient, reply -> { }),
                onTimeout);
    }

    /**
     * A lookup's query, whose waits the lookup keeps itself ({@link Lookup}): the routing table
     * counts a silence past the RTT-derived hard timeout as {@link #query} does, but a reply that
     * comes later, up to {@link DhtConfig#queryTimeoutMillis()} after sending, still goes to
     * {@code onReply} (a late answer is better than none). {@code onRefused} runs only when the
     * query is not sent (pacing or the pending bound refused it); nothing runs after the query
     * timeout. Returns the pacing delay as {@link #query} does.
     */
    long queryTakingLateReplies(InetSocketAddress to, NodeId expected, QueryMaker maker,
                                Consumer<KrpcMessage> onReply, Runnable onRefused) {
        return paced(to, () -> send(to, expected, maker, onReply, () -> { }, onRefused, false, onReply), onRefused);
    }

    /** Runs {@code send} once the pacing to {@code to} allows, or {@code onRefused} if it refuses. */
    private long paced(InetSocketAddress to, Runnable send, Runnable onRefused) {
        long delay = pacer.delayMillis(to, env.nowMillis());
        if (delay < 0) {
            tally.queriesRefused++;
            onRefused.run();
        } else if (delay == 0) {
            send.run();
        } else {
            tally.queriesPaced++;
            env.schedule(delay, send);
        }
        return delay;
    }

    /**
     * Sends a query now, after its pacing delay: {@code onTimeout} after the hard timeout (a
     * {@code patient} query: the query timeout), and a reply after that, within the query
     * timeout, to {@code onLateReply}; the table and the estimate learn from every reply.
     */
    private void send(InetSocketAddress to, NodeId expected, QueryMaker maker, Consumer<KrpcMessage> onReply,
                      Runnable onTimeout, Runnable onRefused, boolean patient, Consumer<KrpcMessage> onLateReply) {
        long sentAt = env.nowMillis();
        long waitMillis = patient ? config.queryTimeoutMillis() : rtt.hardTimeoutMillis();
        byte[] tid = transactions.open(to, waitMillis, config.queryTimeoutMillis(), reply -> {
            heardBack(to, sentAt, reply);
            onReply.accept(reply);
        }, () -> {
            if (expected != null
                    && table.failed(expected, sentAt, env.nowMillis()) == RoutingTable.Failure.PING) {
                query(to, expected, t -> new PingQuery(t, id, DhtNode.VERSION), reply -> { }, () -> { });
            }
            onTimeout.run();
        }, reply -> {
            heardBack(to, sentAt, reply);
            onLateReply.accept(reply);
        });
        if (tid == null) {
            tally.queriesRefused++;
            onRefused.run();
            return;
        }
        KrpcQuery query = maker.make(TransactionId.of(tid));
        traffic.queryOut(query.method());
        env.send(to, KrpcCodec.encode(query));
    }

    private void heardBack(InetSocketAddress from, long sentAt, KrpcMessage reply) {
        long roundTripMillis = env.nowMillis() - sentAt;
        rtt.sample(roundTripMillis);
        if (reply instanceof KrpcResponse r && !r.responderId().equals(id)) {
            learn(new Contact(r.responderId(), from), true);
            table.recordRtt(r.responderId(), roundTripMillis);
            r.requester().ifPresent(seen -> externalVote.observe(from.getAddress(), seen.address(), env.nowMillis()));
        }
    }
}
