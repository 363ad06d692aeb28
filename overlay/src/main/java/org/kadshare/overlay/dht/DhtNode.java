package org.kadshare.overlay.dht;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.kadshare.overlay.krpc.ClientVersion;
import org.kadshare.overlay.krpc.ConnectToMeQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcDecodeException;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.PeerInfo;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.ReverseConnectQuery;
import org.kadshare.overlay.krpc.ReverseCookie;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.reach.ExternalAddressVote;

/**
 * One DHT node: the sans-IO state machine that answers KRPC queries, runs lookups and keeps the
 * routing table and record stores. It is driven by {@link #receive} (a datagram in), by timers it
 * set through its {@link DhtEnvironment}, and by the user calls below; it acts only through the
 * environment. Everything runs on the environment's one thread, including the completion of the
 * returned futures; none of it is thread-safe.
 *
 * <p>Design note. This class is the facade: it decodes datagrams, applies the per-source rate
 * limit, and hands each concern to the class that holds it. {@link QueryAnswers} answers queries
 * ({@link StoredRecords} accepts or refuses store queries, {@link AmplificationBudget} keeps answers
 * to unproven queriers small); {@link OutboundQueries} sends ours and learns from their replies
 * and silences; {@link Lookups} runs the lookups, {@link RecordLookups} the finds of records on
 * them; {@link OwnRecords} keeps what this node announces and publishes renewed;
 * {@link KeySamples} is BEP 51 both ways; {@link ConnectBacks} is connect_back both ways;
 * {@link TableMaintenance} joins and refreshes the routing table. Decisions live in the small
 * classes those wire together: the {@link RoutingTable} decides who to keep and whom to ping,
 * {@link Lookup} whom to ask next, {@link TokenIssuer}, {@link RateLimiter}, {@link HolderStore}
 * and {@link ManifestStore} what to accept; {@link Transactions} matches replies. A datagram that
 * does not decode is answered with the codec's KRPC error when it carried a query's transaction
 * ID, otherwise dropped and counted; nothing a peer sends can make it throw. Token secrets rotate
 * lazily on use, so no timer is needed for them.
 */
public final class DhtNode implements DatagramReceiver {
    static final Optional<ClientVersion> VERSION = Optional.of(ClientVersion.KADSHARE);
    /** Peers whose tokens are kept for later queries. */
    static final int REMEMBERED_TOKENS = 1024;
    /** Most keys in one sample_infohashes answer (BEP 51 leaves it open; libtorrent sends 20). */
    static final int MAX_SAMPLES = 20;
    /**
     * How long one sample is handed out (BEP 51's "interval"), unless the stored keys change:
     * short, so that a browse sees what was published minutes ago.
     */
    static final long SAMPLE_INTERVAL_MILLIS = 300_000;
    /** Most distinct keys one crawl ({@link #sampleKeys}) collects. */
    static final int MAX_CRAWL_KEYS = 4096;
    /** Most queries one crawl may send, whatever the caller asks for. */
    public static final int MAX_CRAWL_QUERIES = 1024;

    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final RateLimiter limiter;
    private final StoredRecords records;
    private final OutboundQueries queries;
    private final OwnRecords own;
    private final RecordLookups finds;
    private final KeySamples samples;
    private final ConnectBacks connectBacks;
    private final QueryAnswers answers;
    private final TableMaintenance maintenance;
    private final ReverseConnections reverse;
    private final PeerTokens peerTokens;
    private final DhtTally tally = new DhtTally();
    private final KrpcTraffic traffic = new KrpcTraffic();
    private final ExternalAddressVote externalVote = new ExternalAddressVote();
    private final List<DhtEnvironment.Cancellable> timers = new ArrayList<>();
    private boolean stopped;

    /** A node with identity {@code id} acting through {@code env}; call {@link #start()} next. */
    public DhtNode(DhtEnvironment env, NodeId id, DhtConfig config) {
        this.env = Objects.requireNonNull(env, "env");
        this.id = Objects.requireNonNull(id, "id");
        this.config = Objects.requireNonNull(config, "config");
        long now = env.nowMillis();
        this.table = new RoutingTable(id, config.routing(), now);
        TokenIssuer tokens = new TokenIssuer(env.random(), config.tokenRotationMillis(), now);
        this.limiter = new RateLimiter(config.queriesPerSecond(), config.queryBurst(), config.rateLimitedSources());
        this.records = new StoredRecords(env, id, config, table, tokens);
        this.queries = new OutboundQueries(env, id, config, table, tally, traffic, externalVote);
        this.peerTokens = new PeerTokens(REMEMBERED_TOKENS, config.tokenRotationMillis());
        Lookups lookups = new Lookups(env, id, config, table, queries, peerTokens, traffic, tally);
        this.own = new OwnRecords(env, id, config, table, lookups, records, () -> stopped, this::relayAccepted);
        this.finds = new RecordLookups(env, id, config, table, records, lookups, queries);
        this.samples = new KeySamples(env, id, config, table, records, own, queries, lookups, peerTokens);
        this.connectBacks = new ConnectBacks(env, id, table, queries, tally);
        this.reverse = new ReverseConnections(id, VERSION, records.holders(), new ReverseConnections.Holding() {
            @Override
            public boolean announces(NodeId key) {
                return own.announcedPort(key) != null;
            }

            @Override
            public boolean unreachable() {
                return own.unreachable();
            }
        }, (holderUdp, key, getter, cookie) -> queries.query(holderUdp, null,
                tid -> new ReverseConnectQuery(tid, id, key, new PeerInfo(getter), cookie, VERSION),
                reply -> { }, () -> { }));
        this.answers = new QueryAnswers(env, id, config, table, tokens, records, own, samples, connectBacks, queries,
                externalVote, tally, reverse);
        this.maintenance = new TableMaintenance(env, id, config, table, queries, lookups, () -> stopped, () -> {
            own.reannounce();
            own.republish();
        });
    }

    /** Starts the periodic maintenance (bucket refresh, record expiry) and re-announce timers. */
    public void start() {
        if (!timers.isEmpty()) {
            throw new IllegalStateException("DHT node " + id + " already started");
        }
        every(config.maintenanceMillis(), this::maintain);
        every(config.reannounceMillis(), own::reannounce);
        every(config.republishMillis(), own::republish);
        every(ReverseConnections.KEEP_OPEN_MILLIS, this::keepRelaysOpen);
    }

    /** A node accepted this node's announce as unreachable: its reverse_connect is taken from now on. */
    private void relayAccepted(InetSocketAddress relay) {
        reverse.announcedTo(relay);
    }

    /** Behind a NAT that forwards nothing: pings the latest relays, so their reverse_connect still gets in. */
    private void keepRelaysOpen() {
        if (own.unreachable()) {
            for (InetSocketAddress relay : reverse.latestRelays(ReverseConnections.KEPT_OPEN)) {
                queries.query(relay, null, tid -> new PingQuery(tid, id, VERSION), reply -> { }, () -> { });
            }
        }
    }

    /** Cancels the node's timers; pending lookups end by their own timeouts. */
    public void stop() {
        stopped = true;
        timers.forEach(DhtEnvironment.Cancellable::cancel);
        timers.clear();
    }

    public NodeId id() {
        return id;
    }

    /** Contacts in the routing table. */
    public int routingTableSize() {
        return table.size();
    }

    RoutingTable routingTable() {
        return table;
    }

    /** A snapshot of the node's tables and counters, for status pages and tests. */
    public DhtStatus status() {
        long now = env.nowMillis();
        int live = 0;
        for (Contact c : table.contacts()) {
            if (table.stateOf(c.id(), now) == ContactState.GOOD) {
                live++;
            }
        }
        return new DhtStatus(id, table.size(), live, records.holders().size(), records.manifests().size(),
                queries.pendingCount(), counters());
    }

    /** The routing contacts, bucket by bucket from the farthest, each with whether it is live. */
    public List<DhtContact> contacts() {
        long now = env.nowMillis();
        return table.contacts().stream()
                .map(c -> new DhtContact(c.id(), c.address(), table.stateOf(c.id(), now) == ContactState.GOOD,
                        table.rttOf(c.id())))
                .toList();
    }

    /** Queries in and out by method, and lookups with their durations, so far. */
    public KrpcTraffic.Snapshot traffic() {
        return traffic.snapshot();
    }

    /**
     * This node's address as the peers that answer it see it ({@link ExternalAddressVote}):
     * behind a NAT, the router's external address; empty until enough peers agree.
     */
    public Optional<InetSocketAddress> externalAddress() {
        return externalVote.winner(env.nowMillis());
    }

    /** The counters of dropped and refused traffic so far. */
    public DhtCounters counters() {
        return tally.snapshot();
    }

    /**
     * Joins the network: asks every {@code bootstrap} address for nodes near our ID (again after
     * 1 s and 2 s more while an address stays silent, so one lost datagram cannot leave a new node
     * alone), looks up our own ID, then refreshes every bucket. Completes with the routing table
     * size. The addresses are remembered: while the table is empty or holds only bad contacts,
     * maintenance joins through them again and then re-announces and republishes at once.
     */
    public CompletableFuture<Integer> join(List<InetSocketAddress> bootstrap) {
        return maintenance.join(bootstrap);
    }

    /**
     * Announces that this node serves {@code key}'s content on TCP {@code port} to the k nodes
     * closest to the key, and again every {@link DhtConfig#reannounceMillis()}. Completes with the
     * number of nodes that accepted the announcement.
     */
    public CompletableFuture<Integer> announce(NodeId key, int port) {
        return own.announce(key, port);
    }

    /**
     * Stops re-announcing {@code key} and republishing the manifests stored under it; the records
     * already held by other nodes expire after their TTL. True if anything was being renewed.
     */
    public boolean withdraw(NodeId key) {
        return own.withdraw(key);
    }

    /** Finds the addresses of nodes that announced {@code key}. */
    public CompletableFuture<List<InetSocketAddress>> findHolders(NodeId key) {
        return findHolders(key, holder -> { });
    }

    /**
     * Finds the addresses of nodes that announced {@code key}, handing each new one to
     * {@code onHolder} the moment it is known: this node's own records at once, then each answer's
     * new addresses as it arrives. Completes when the lookup ends with every address reported, in
     * the order reported. {@code onHolder} runs on the core's thread and must not block; if it
     * throws, the future fails with that exception and it is not called again.
     */
    public CompletableFuture<List<InetSocketAddress>> findHolders(NodeId key, Consumer<InetSocketAddress> onHolder) {
        return lookupHolders(key, onHolder).thenApply(FoundHolders::holders);
    }

    /** Finds the addresses of nodes that announced {@code key}, with how the lookup went. */
    public CompletableFuture<FoundHolders> lookupHolders(NodeId key) {
        return lookupHolders(key, holder -> { });
    }

    /** {@link #findHolders(NodeId, Consumer)}, completing with how the lookup went too. */
    public CompletableFuture<FoundHolders> lookupHolders(NodeId key, Consumer<InetSocketAddress> onHolder) {
        return lookupHolders(key, onHolder, (holder, relay) -> { });
    }

    /**
     * {@link #lookupHolders(NodeId, Consumer)}, handing each holder that cannot be reached to
     * {@code onRelayed} with the node that relays to it ({@link #connectToMe}), as it arrives; the
     * relay is null for a holder whose record this node keeps itself.
     */
    public CompletableFuture<FoundHolders> lookupHolders(NodeId key, Consumer<InetSocketAddress> onHolder,
            BiConsumer<InetSocketAddress, InetSocketAddress> onRelayed) {
        return finds.lookupHolders(key, onHolder, onRelayed);
    }

    /**
     * Whether this node's announces say it cannot be reached (behind a NAT that forwards nothing):
     * then the nodes that store them relay getters' requests to it, it lists itself as relayed,
     * and it dials getters through {@link #reverseDialer}. Takes effect at the next announce.
     */
    public void announceUnreachable(boolean unreachable) {
        own.unreachable(unreachable);
    }

    /** Who opens the TCP connections relays ask for ({@link ReverseDialer#NONE} until set). */
    public void reverseDialer(ReverseDialer dialer) {
        reverse.dialer(dialer);
    }

    /**
     * Asks {@code relay}, which listed {@code holder} of {@code key} as relayed, to have the holder
     * open a TCP connection to this node's block {@code port}, sending {@code cookie} first
     * (connect_to_me, with the token the relay gave this node in its answer; with a null relay,
     * this node keeps the holder's record and sends the holder reverse_connect itself). Completes
     * with null once the relay forwarded it, or with why not.
     */
    public CompletableFuture<String> connectToMe(InetSocketAddress relay, NodeId key, InetSocketAddress holder,
            int port, ReverseCookie cookie) {
        CompletableFuture<String> done = new CompletableFuture<>();
        if (relay == null) {
            done.complete(reverse.relayOwn(key, holder, port, cookie, answers::selfToward, env.nowMillis()));
            return done;
        }
        Token token = peerTokens.recent(relay, env.nowMillis());
        if (token == null) {
            done.complete("no recent token from relay " + relay);
            return done;
        }
        queries.query(relay, null, tid -> new ConnectToMeQuery(tid, id, key, new PeerInfo(holder), port, cookie,
                token, VERSION), reply -> done.complete(reply instanceof KrpcError e ? "relay " + relay + " refused: "
                        + e.message() : null), () -> done.complete("relay " + relay + " did not answer"), true);
        return done;
    }

    /**
     * Stores a signed, encoded manifest at the k nodes closest to its key (the first 20 bytes of
     * its content ID) and republishes it every {@link DhtConfig#republishMillis()}. Completes with
     * the number of nodes that accepted it; fails at once if the manifest does not verify.
     */
    public CompletableFuture<Integer> putManifest(byte[] encoded) {
        return own.putManifest(encoded);
    }

    /**
     * Finds the verified manifests stored under {@code key}, encoded; as Kademlia caching, a copy
     * is then stored at the closest node on the path that lacked it.
     */
    public CompletableFuture<List<byte[]>> findManifests(NodeId key) {
        return findManifests(key, manifest -> { });
    }

    /**
     * {@link #findManifests(NodeId)}, handing each new encoded manifest to {@code onManifest} the
     * moment it is known: this node's own copies at once, then each answer's new ones as it
     * arrives. Completes when the lookup ends with every manifest reported, in the order reported.
     * {@code onManifest} runs on the core's thread and must not block; if it throws, the future
     * fails with that exception and it is not called again.
     */
    public CompletableFuture<List<byte[]>> findManifests(NodeId key, Consumer<byte[]> onManifest) {
        return finds.findManifests(key, onManifest);
    }

    /**
     * Crawls the network with BEP 51 sample_infohashes ({@link SampleCrawl}): from the routing
     * table's contacts, asking at most {@code maxQueries} nodes (at most
     * {@link #MAX_CRAWL_QUERIES}), alpha at a time, for at most {@code timeoutMillis}. Completes
     * with the keys sampled, this node's own stored keys included, and what it cost.
     */
    public CompletableFuture<SampledKeys> sampleKeys(int maxQueries, long timeoutMillis) {
        return samples.sampleKeys(maxQueries, timeoutMillis);
    }

    /**
     * Stores a signed, encoded keyword record at the k nodes closest to its word's key and
     * republishes it every {@link DhtConfig#republishMillis()} until the content is withdrawn.
     * Completes with the number of nodes that accepted it; fails at once if it does not verify.
     */
    public CompletableFuture<Integer> putKeyword(byte[] encoded) {
        return own.putKeyword(encoded);
    }

    /**
     * Finds the verified keyword records stored under {@code key} (a word's DHT key), encoded:
     * this node's own first, then each answer's new ones, handed to {@code onRecord} as they
     * arrive (on the core's thread; it must not block). Completes when the lookup ends.
     */
    public CompletableFuture<List<byte[]>> findKeywords(NodeId key, Consumer<byte[]> onRecord) {
        return finds.findKeywords(key, onRecord);
    }

    /**
     * Asks up to {@code peers} live contacts, outside the private ranges and each in its own /24,
     * to open a TCP connection to this node's source address at {@code port} (connect_back):
     * whether peers can reach this node there. Completes when each has answered or timed out.
     */
    public CompletableFuture<ConnectBackResult> checkReachable(int port, int peers) {
        return connectBacks.checkReachable(port, java.util.OptionalInt.empty(), peers);
    }

    /**
     * {@link #checkReachable(int, int)}, with each peer also asked to ping {@code udpPort} from
     * another socket than the one it answers from, and to say whether the ping was answered:
     * whether unsolicited datagrams reach this node's DHT there.
     */
    public CompletableFuture<ConnectBackResult> checkReachable(int port, int udpPort, int peers) {
        return connectBacks.checkReachable(port, java.util.OptionalInt.of(udpPort), peers);
    }

    @Override
    public void receive(InetSocketAddress from, byte[] datagram) {
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            Optional<KrpcError> reply = e.reply(VERSION);
            if (reply.isEmpty()) {
                tally.garbage++;
            } else if (limiter.tryAcquire(from.getAddress(), env.nowMillis())) {
                tally.malformed++;
                env.send(from, KrpcCodec.encode(reply.get()));
            } else {
                tally.rateLimited++;
            }
            return;
        } catch (RuntimeException e) {
            tally.garbage++;
            return;
        }
        if (message instanceof KrpcQuery q) {
            if (!limiter.tryAcquire(from.getAddress(), env.nowMillis())) {
                tally.rateLimited++;
                return;
            }
            traffic.queryIn(q.method());
            answers.answer(from, q, datagram.length);
        } else if (!queries.complete(from, message)) {
            tally.unknownReplies++;
        }
    }

    private void maintain() {
        long now = env.nowMillis();
        records.expire(now);
        maintenance.maintain(now);
    }

    private void every(long periodMillis, Runnable task) {
        int slot = timers.size();
        timers.add(null);
        Runnable[] self = new Runnable[1];
        self[0] = () -> {
            task.run();
            if (timers.size() > slot) {
                timers.set(slot, env.schedule(periodMillis, self[0]));
            }
        };
        timers.set(slot, env.schedule(periodMillis, self[0]));
    }
}
