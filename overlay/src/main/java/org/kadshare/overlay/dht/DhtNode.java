package org.kadshare.overlay.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.ClientVersion;
import org.kadshare.overlay.krpc.ConnectBackQuery;
import org.kadshare.overlay.krpc.ConnectToMeQuery;
import org.kadshare.overlay.krpc.EncodedKeyword;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.FindNodeQuery;
import org.kadshare.overlay.krpc.GetKeywordsQuery;
import org.kadshare.overlay.krpc.GetManifestsQuery;
import org.kadshare.overlay.krpc.GetPeersQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcDecodeException;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.NodeInfo;
import org.kadshare.overlay.krpc.PeerInfo;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.PutKeywordQuery;
import org.kadshare.overlay.krpc.PutManifestQuery;
import org.kadshare.overlay.krpc.ReverseConnectQuery;
import org.kadshare.overlay.krpc.ReverseCookie;
import org.kadshare.overlay.krpc.SampleInfohashesQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.overlay.reach.ExternalAddressVote;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.KeywordRecordCodec;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.ManifestException;

/**
 * One DHT node: the sans-IO state machine that answers KRPC queries, runs lookups and keeps the
 * routing table and record stores. It is driven by {@link #receive} (a datagram in), by timers it
 * set through its {@link DhtEnvironment}, and by the user calls below; it acts only through the
 * environment. Everything runs on the environment's one thread, including the completion of the
 * returned futures; none of it is thread-safe.
 *
 * <p>Design note. Decisions live in the small classes this one wires together: the
 * {@link RoutingTable} decides who to keep and whom to ping, {@link Lookup} whom to ask next,
 * {@link TokenIssuer}, {@link RateLimiter}, {@link HolderStore} and {@link ManifestStore} what to
 * accept; {@link Transactions} matches replies. This class only turns datagrams into those calls
 * and their answers into datagrams. A datagram that does not decode is answered with the codec's
 * KRPC error when it carried a query's transaction ID, otherwise dropped and counted; nothing a
 * peer sends can make it throw. A querier enters the routing table only once its query was
 * answered without error, so malformed or forged queries (bad token, bad arguments) leave the table
 * as it was. Records stored here live {@code max(minTtl, ttl / 2^floor(c/k))}
 * where {@code c} counts our contacts closer to the key ({@link CacheTtl}): the key's k closest
 * keep the full TTL, far-away nodes that received a Kademlia cache copy keep it briefly. Token
 * secrets rotate lazily on use, so no timer is needed for them.
 */
public final class DhtNode implements DatagramReceiver {
    private static final Optional<ClientVersion> VERSION = Optional.of(ClientVersion.KADSHARE);
    /** Bootstrap addresses kept for joining again. */
    static final int MAX_REMEMBERED_BOOTSTRAP = 64;
    /** The source IP that this node's own manifests are charged to in its store: 0.0.0.0. */
    private static final InetAddress OWN_RECORDS = new InetSocketAddress(0).getAddress();
    /**
     * An answer to a querier that has not shown a valid token is at most this percentage of the
     * size of its query (so a spoofed source address cannot turn the node into an amplifier).
     */
    static final int AMPLIFICATION_PERCENT = 350;
    /**
     * Bytes BEP 42's "ip" adds to a response ({@code 2:ip6:} and the 6-byte compact address): trimmed
     * answers leave room for it, so that lookups tell a node behind a NAT its address too.
     */
    static final int REQUESTER_FIELD_BYTES = 12;
    /** How long a connect_back probe waits for the TCP connection to open. */
    static final long CONNECT_BACK_TIMEOUT_MILLIS = 2_000;
    /** Peers whose tokens are kept for later queries. */
    static final int REMEMBERED_TOKENS = 1024;
    /**
     * How long one of our own queries may wait for its turn to a peer before it is refused. Long:
     * a node with few peers that runs many lookups at once (a burst of gets, a re-announce sweep)
     * queues hundreds of queries to each, and a refused query ends its lookup with nothing found;
     * the queue is bounded by this node's own lookups, never by what a peer sends.
     */
    static final long MAX_PACING_DELAY_MILLIS = 60_000;
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

    /** Keyword records per word key (see {@link ManifestStore#forKeywords}). */
    static final int KEYWORDS_PER_KEY = 64;
    /** Keyword records of one publisher key under one word key. */
    static final int KEYWORDS_PER_KEY_PER_PUBLISHER = 4;
    /** Keyword records stored from one IP under one word key. */
    static final int KEYWORDS_PER_KEY_PER_IP = 8;
    /** Keyword records in total, the memory bound (50,000 of at most 900 bytes, ~45 MB). */
    static final int KEYWORD_RECORDS = 50_000;

    /** A manifest this node publishes and keeps republishing, under its DHT key. */
    private record Published(NodeId key, byte[] encoded) {}

    /** A keyword record this node publishes and keeps republishing, with its content's DHT key. */
    private record PublishedKeyword(NodeId contentKey, byte[] encoded) {}

    private final DhtEnvironment env;
    private final NodeId id;
    private final DhtConfig config;
    private final RoutingTable table;
    private final TokenIssuer tokens;
    private final RateLimiter limiter;
    private final HolderStore holders;
    private final ManifestStore manifests;
    private final ManifestStore keywords;
    private final RttEstimator rtt;
    private final Transactions<KrpcMessage> transactions;
    private final PeerTokens peerTokens;
    private final QueryPacer pacer;
    private final KeySampler sampler = new KeySampler(MAX_SAMPLES, SAMPLE_INTERVAL_MILLIS);
    private final Map<LookupKey, JoinedLookup> running = new HashMap<>();
    private final Map<NodeId, Integer> announced = new LinkedHashMap<>();
    private final Map<String, Published> published = new LinkedHashMap<>();
    private final Map<String, PublishedKeyword> publishedKeywords = new LinkedHashMap<>();
    private final List<DhtEnvironment.Cancellable> timers = new ArrayList<>();
    private List<InetSocketAddress> remembered = List.of();
    private boolean rejoining;
    private boolean stopped;
    private long garbage;
    private long malformed;
    private long rateLimited;
    private long unknownReplies;
    private long queriesAnswered;
    private long queriesRefused;
    private long queriesPaced;
    private long lookupsJoined;
    private final KrpcTraffic traffic = new KrpcTraffic();
    private final ExternalAddressVote externalVote = new ExternalAddressVote();
    private final ConnectBackLimit connectBacks = new ConnectBackLimit();
    private final ReverseConnections reverse;
    private boolean unreachable;

    /** A node with identity {@code id} acting through {@code env}; call {@link #start()} next. */
    public DhtNode(DhtEnvironment env, NodeId id, DhtConfig config) {
        this.env = Objects.requireNonNull(env, "env");
        this.id = Objects.requireNonNull(id, "id");
        this.config = Objects.requireNonNull(config, "config");
        long now = env.nowMillis();
        this.table = new RoutingTable(id, config.routing(), now);
        this.tokens = new TokenIssuer(env.random(), config.tokenRotationMillis(), now);
        this.limiter = new RateLimiter(config.queriesPerSecond(), config.queryBurst(), config.rateLimitedSources());
        this.holders = new HolderStore(config.holdersPerKey(), config.holdersPerKeyPerIp(), config.holderRecords());
        this.manifests = new ManifestStore(config.manifestsPerKey(), config.manifestsPerKeyPerIp(),
                config.manifestRecords(), EncodedManifest.MAX_BYTES);
        this.keywords = ManifestStore.forKeywords(KEYWORDS_PER_KEY, KEYWORDS_PER_KEY_PER_PUBLISHER,
                KEYWORDS_PER_KEY_PER_IP, KEYWORD_RECORDS, EncodedKeyword.MAX_BYTES);
        this.rtt = new RttEstimator(config.rttInitialMillis(), config.rttMinMillis(), config.rttMaxMillis(),
                config.queryTimeoutMillis());
        this.transactions = new Transactions<>(env, config.maxPendingQueries());
        this.peerTokens = new PeerTokens(REMEMBERED_TOKENS, config.tokenRotationMillis());
        this.pacer = new QueryPacer(paced(config.queriesPerSecond()), paced(config.queryBurst()),
                MAX_PACING_DELAY_MILLIS, config.rateLimitedSources());
        this.reverse = new ReverseConnections(id, VERSION, holders, new ReverseConnections.Holding() {
            @Override
            public boolean announces(NodeId key) {
                return announced.containsKey(key);
            }

            @Override
            public boolean unreachable() {
                return unreachable;
            }
        }, (holderUdp, key, getter, cookie) -> query(holderUdp, null,
                tid -> new ReverseConnectQuery(tid, id, key, new PeerInfo(getter), cookie, VERSION),
                reply -> { }, () -> { }));
    }

    /**
     * Whether this node's announces say it cannot be reached (behind a NAT that forwards nothing):
     * then the nodes that store them relay getters' requests to it, it lists itself as relayed,
     * and it dials getters through {@link #reverseDialer}. Takes effect at the next announce.
     */
    public void announceUnreachable(boolean unreachable) {
        this.unreachable = unreachable;
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
            done.complete(reverse.relayOwn(key, holder, port, cookie, this::selfToward, env.nowMillis()));
            return done;
        }
        Token token = peerTokens.recent(relay, env.nowMillis());
        if (token == null) {
            done.complete("no recent token from relay " + relay);
            return done;
        }
        query(relay, null, tid -> new ConnectToMeQuery(tid, id, key, new PeerInfo(holder), port, cookie, token,
                VERSION), reply -> done.complete(reply instanceof KrpcError e ? "relay " + relay + " refused: "
                        + e.message() : null), () -> done.complete("relay " + relay + " did not answer"), true);
        return done;
    }

    /** 80% of a peer's per-source limit, so that our pace stays under it with a margin. */
    private static int paced(int peerLimit) {
        return Math.max(1, peerLimit * 4 / 5);
    }

    /** Starts the periodic maintenance (bucket refresh, record expiry) and re-announce timers. */
    public void start() {
        if (!timers.isEmpty()) {
            throw new IllegalStateException("DHT node " + id + " already started");
        }
        every(config.maintenanceMillis(), this::maintain);
        every(config.reannounceMillis(), this::reannounce);
        every(config.republishMillis(), this::republish);
        every(ReverseConnections.KEEP_OPEN_MILLIS, this::keepRelaysOpen);
    }

    /** Behind a NAT that forwards nothing: pings the latest relays, so their reverse_connect still gets in. */
    private void keepRelaysOpen() {
        if (unreachable) {
            for (InetSocketAddress relay : reverse.latestRelays(ReverseConnections.KEPT_OPEN)) {
                query(relay, null, tid -> new PingQuery(tid, id, VERSION), reply -> { }, () -> { });
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
        return new DhtStatus(id, table.size(), live, holders.size(), manifests.size(),
                transactions.pendingCount(), counters());
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
        return new DhtCounters(garbage, malformed, rateLimited, unknownReplies, queriesAnswered, queriesRefused,
                queriesPaced, lookupsJoined);
    }

    /**
     * Joins the network: asks every {@code bootstrap} address for nodes near our ID (again after
     * 1 s and 2 s more while an address stays silent, so one lost datagram cannot leave a new node
     * alone), looks up our own ID, then refreshes every bucket. Completes with the routing table
     * size. The addresses are remembered: while the table is empty or holds only bad contacts,
     * maintenance joins through them again and then re-announces and republishes at once.
     */
    public CompletableFuture<Integer> join(List<InetSocketAddress> bootstrap) {
        remembered = List.copyOf(bootstrap.subList(0, Math.min(bootstrap.size(), MAX_REMEMBERED_BOOTSTRAP)));
        CompletableFuture<Integer> joined = new CompletableFuture<>();
        List<Contact> seeds = new ArrayList<>();
        int[] outstanding = {bootstrap.size()};
        Runnable next = () -> {
            if (--outstanding[0] == 0) {
                seeds.addAll(table.closest(id, config.k()));
                lookup(id, seeds, Kind.NODES, own -> {
                    List<NodeId> targets = new ArrayList<>();
                    for (int i = 0; i < table.bucketCount() - 1; i++) {
                        targets.add(table.randomIdInBucket(i, env.random()));
                    }
                    refreshAll(targets, () -> joined.complete(table.size()));
                });
            }
        };
        if (bootstrap.isEmpty()) {
            outstanding[0] = 1;
            next.run();
        }
        for (InetSocketAddress address : bootstrap) {
            new BootstrapQuery(env, () -> stopped, (answered, failed) -> query(address, null,
                    tid -> new FindNodeQuery(tid, id, id, VERSION), reply -> {
                        if (reply instanceof KrpcResponse r) {
                            answered.accept(contactsOf(r.nodes()));
                        } else {
                            failed.run();
                        }
                    }, failed), contacts -> {
                        seeds.addAll(contacts);
                        next.run();
                    }).start();
        }
        return joined;
    }

    /** Joins again through the remembered bootstrap addresses when no usable contact is left. */
    private void rejoinIfAlone(long now) {
        if (rejoining || remembered.isEmpty() || hasUsableContact(now)) {
            return;
        }
        rejoining = true;
        join(remembered).whenComplete((size, error) -> {
            rejoining = false;
            if (size != null && size > 0) {
                reannounce();
                republish();
            }
        });
    }

    private boolean hasUsableContact(long now) {
        for (Contact c : table.contacts()) {
            if (table.stateOf(c.id(), now) != ContactState.BAD) {
                return true;
            }
        }
        return false;
    }

    /**
     * Announces that this node serves {@code key}'s content on TCP {@code port} to the k nodes
     * closest to the key, and again every {@link DhtConfig#reannounceMillis()}. Completes with the
     * number of nodes that accepted the announcement.
     */
    public CompletableFuture<Integer> announce(NodeId key, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("announce port must be 1..65535, got " + port);
        }
        announced.put(key, port);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        boolean behindNat = unreachable;
        lookup(key, table.closest(key, config.k()), Kind.PEERS, result -> storeAtClosest(result,
                (tid, token) -> new AnnouncePeerQuery(tid, id, key, port, false, token, VERSION, behindNat), done,
                behindNat ? reverse::announcedTo : stored -> { }));
        return done;
    }

    /**
     * Stops re-announcing {@code key} and republishing the manifests stored under it; the records
     * already held by other nodes expire after their TTL. True if anything was being renewed.
     */
    public boolean withdraw(NodeId key) {
        boolean renewed = announced.remove(key) != null;
        renewed |= publishedKeywords.values().removeIf(p -> p.contentKey().equals(key));
        return published.values().removeIf(p -> p.key().equals(key)) || renewed;
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
            java.util.function.BiConsumer<InetSocketAddress, InetSocketAddress> onRelayed) {
        Objects.requireNonNull(onHolder, "onHolder");
        Objects.requireNonNull(onRelayed, "onRelayed");
        CompletableFuture<FoundHolders> found = new CompletableFuture<>();
        Arrivals<InetSocketAddress> arrivals = new Arrivals<>(a -> a, onHolder, found);
        // This node may itself be one of the key's closest and hold the record (in a small
        // network it is often the only one that does): the lookup never asks itself.
        holders.get(key, config.holdersReturned(), env.nowMillis()).forEach(arrivals::offer);
        holders.relayed(key, config.holdersReturned(), env.nowMillis()).forEach(h -> onRelayed.accept(h, null));
        lookup(key, table.closest(key, config.k()), Kind.PEERS, new Lookup.Finds() {
            @Override
            public void holder(InetSocketAddress address) {
                arrivals.offer(address);
            }

            @Override
            public void value(byte[] value) {
            }

            @Override
            public void relayed(InetSocketAddress holder, InetSocketAddress relay) {
                onRelayed.accept(holder, relay);
            }
        }, r -> {
            holders.get(key, config.holdersReturned(), env.nowMillis()).forEach(arrivals::offer);
            found.complete(new FoundHolders(arrivals.all(), r.trace()));
        });
        return found;
    }

    /**
     * Stores a signed, encoded manifest at the k nodes closest to its key (the first 20 bytes of
     * its content ID) and republishes it every {@link DhtConfig#republishMillis()}. Completes with
     * the number of nodes that accepted it; fails at once if the manifest does not verify.
     */
    public CompletableFuture<Integer> putManifest(byte[] encoded) {
        Manifest manifest;
        try {
            manifest = ManifestCodec.decode(encoded);
        } catch (ManifestException | RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("manifest does not verify: "
                    + e.getMessage(), e));
        }
        NodeId key = NodeId.of(manifest.id().dhtKey());
        published.put(manifest.id().toHex() + java.util.HexFormat.of().formatHex(manifest.publisherKey()),
                new Published(key, encoded.clone()));
        manifests.put(key, manifest.publisherKey(), manifest.createdEpochSeconds(), encoded,
                env.nowMillis() + config.manifestTtlMillis(), OWN_RECORDS);
        EncodedManifest wire = EncodedManifest.of(encoded);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        lookup(key, table.closest(key, config.k()), Kind.MANIFESTS, result -> storeAtClosest(result,
                (tid, token) -> new PutManifestQuery(tid, id, key, wire, token, VERSION), done));
        return done;
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
        Objects.requireNonNull(onManifest, "onManifest");
        CompletableFuture<List<byte[]>> found = new CompletableFuture<>();
        Arrivals<byte[]> arrivals = new Arrivals<>(ByteBuffer::wrap, m -> onManifest.accept(m.clone()), found);
        manifests.get(key, KrpcResponse.MAX_MANIFESTS, env.nowMillis()).forEach(arrivals::offer);
        lookup(key, table.closest(key, config.k()), Kind.MANIFESTS, new Lookup.Finds() {
            @Override
            public void holder(InetSocketAddress address) {
            }

            @Override
            public void value(byte[] value) {
                arrivals.offer(value);
            }
        }, r -> {
            if (r.cacheAt() != null && r.cacheAt().token() != null && !r.values().isEmpty()) {
                Token token = Token.of(r.cacheAt().token());
                EncodedManifest wire = EncodedManifest.of(r.values().get(0));
                query(r.cacheAt().contact().address(), r.cacheAt().contact().id(),
                        tid -> new PutManifestQuery(tid, id, key, wire, token, VERSION), reply -> { }, () -> { });
            }
            manifests.get(key, KrpcResponse.MAX_MANIFESTS, env.nowMillis()).forEach(arrivals::offer);
            found.complete(arrivals.all());
        });
        return found;
    }

    /**
     * Crawls the network with BEP 51 sample_infohashes ({@link SampleCrawl}): from the routing
     * table's contacts, asking at most {@code maxQueries} nodes (at most
     * {@link #MAX_CRAWL_QUERIES}), alpha at a time, for at most {@code timeoutMillis}. Completes
     * with the keys sampled, this node's own stored keys included, and what it cost.
     */
    public CompletableFuture<SampledKeys> sampleKeys(int maxQueries, long timeoutMillis) {
        if (maxQueries < 0 || timeoutMillis < 1) {
            throw new IllegalArgumentException("a crawl needs maxQueries >= 0 and timeoutMillis >= 1, got "
                    + maxQueries + " and " + timeoutMillis);
        }
        CompletableFuture<SampledKeys> done = new CompletableFuture<>();
        SampleCrawl crawl = new SampleCrawl(table.contacts(), id, Math.min(maxQueries, MAX_CRAWL_QUERIES),
                MAX_CRAWL_KEYS, config.lookup().alpha(), this::askForSample, done::complete);
        crawl.reported(List.copyOf(storedKeys()));
        DhtEnvironment.Cancellable timer = env.schedule(timeoutMillis, crawl::stop);
        done.whenComplete((r, e) -> timer.cancel());
        crawl.start();
        return done;
    }

    /**
     * Stores a signed, encoded keyword record at the k nodes closest to its word's key and
     * republishes it every {@link DhtConfig#republishMillis()} until the content is withdrawn.
     * Completes with the number of nodes that accepted it; fails at once if it does not verify.
     */
    public CompletableFuture<Integer> putKeyword(byte[] encoded) {
        KeywordRecord record;
        try {
            record = KeywordRecordCodec.decode(encoded);
        } catch (ManifestException | RuntimeException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("keyword record does not verify: "
                    + e.getMessage(), e));
        }
        Manifest manifest = record.manifest();
        NodeId key = NodeId.of(record.dhtKey());
        String publisher = java.util.HexFormat.of().formatHex(manifest.publisherKey());
        publishedKeywords.put(record.word() + "/" + publisher + "/" + manifest.id().toHex(),
                new PublishedKeyword(NodeId.of(manifest.id().dhtKey()), encoded.clone()));
        keywords.put(key, publisher + "/" + manifest.id().toHex(), publisher, manifest.createdEpochSeconds(), encoded,
                env.nowMillis() + config.manifestTtlMillis(), OWN_RECORDS);
        EncodedKeyword wire = EncodedKeyword.of(encoded);
        CompletableFuture<Integer> done = new CompletableFuture<>();
        lookup(key, table.closest(key, config.k()), Kind.KEYWORDS, result -> storeAtClosest(result,
                (tid, token) -> new PutKeywordQuery(tid, id, key, wire, token, VERSION), done));
        return done;
    }

    /**
     * One crawl query to {@code to}, carrying {@code token}, else the token it gave us last if that
     * is recent (then its full sample comes at once); the token of its answer is remembered.
     */
    private void askForSample(Contact to, Token token, Consumer<SampleCrawl.Answer> onAnswer, Runnable onFailure) {
        NodeId target = NodeId.random(env.random());
        Token carried = token != null ? token : peerTokens.recent(to.address(), env.nowMillis());
        query(to.address(), to.id(), tid -> new SampleInfohashesQuery(tid, id, target, Optional.ofNullable(carried),
                VERSION), reply -> {
                    if (reply instanceof KrpcResponse r && r.sample().isPresent()) {
                        long now = env.nowMillis();
                        r.token().ifPresent(t -> peerTokens.remember(to.address(), t, now));
                        onAnswer.accept(new SampleCrawl.Answer(contactsOf(r.nodes()).stream()
                                .filter(c -> !table.seenFailing(c.id(), now)).toList(), r.sample().get().samples(),
                                r.withheld(), r.sample().get().num(), r.token().orElse(null)));
                    } else {
                        onFailure.run();
                    }
                }, onFailure);
    }

    /** Every key this node stores records under or announces itself, ordered. */
    private java.util.SortedSet<NodeId> storedKeys() {
        java.util.TreeSet<NodeId> keys = new java.util.TreeSet<>(holders.keys());
        keys.addAll(manifests.keys());
        keys.addAll(announced.keySet());
        return keys;
    }

    /**
     * The answer to sample_infohashes: the current sample ({@link KeySampler}), the nodes near the
     * target, a token. To a querier that has not proven its address, samples and then nodes are
     * left out until it fits {@link #AMPLIFICATION_PERCENT} of the query, "withheld" saying how many
     * samples are missing.
     */
    private KrpcResponse sampleReply(InetSocketAddress from, SampleInfohashesQuery q, int queryBytes, long now) {
        List<NodeId> sample = sampler.sample(holders.keyCount() + manifests.keyCount() + announced.size(),
                this::storedKeys, now, env.random());
        List<NodeInfo> nodes = nodesNear(q.target(), q.senderId());
        Optional<Token> token = Optional.of(tokenFor(from));
        KrpcResponse reply = sampleResponse(q.transactionId(), nodes, sample, token, 0);
        if (provesReceipt(from, q.token())) {
            return reply;
        }
        int budget = queryBytes * AMPLIFICATION_PERCENT / 100 - REQUESTER_FIELD_BYTES;
        int keepSamples = sample.size();
        int keepNodes = nodes.size();
        while (KrpcCodec.encode(reply).length > budget && (keepSamples > 0 || keepNodes > 0)) {
            if (keepSamples > 0) {
                keepSamples--;
            } else {
                keepNodes--;
            }
            reply = sampleResponse(q.transactionId(), nodes.subList(0, keepNodes), sample.subList(0, keepSamples),
                    token, sample.size() - keepSamples);
        }
        return reply;
    }

    private KrpcResponse sampleResponse(TransactionId tid, List<NodeInfo> nodes, List<NodeId> sample,
            Optional<Token> token, int withheld) {
        return new KrpcResponse(tid, id, nodes, List.of(), token, List.of(), List.of(), withheld, VERSION,
                Optional.of(new org.kadshare.overlay.krpc.KeySample(sampler.intervalSeconds(), sampler.num(), sample)));
    }

    /**
     * Finds the verified keyword records stored under {@code key} (a word's DHT key), encoded:
     * this node's own first, then each answer's new ones, handed to {@code onRecord} as they
     * arrive (on the core's thread; it must not block). Completes when the lookup ends.
     */
    public CompletableFuture<List<byte[]>> findKeywords(NodeId key, Consumer<byte[]> onRecord) {
        Objects.requireNonNull(onRecord, "onRecord");
        CompletableFuture<List<byte[]>> found = new CompletableFuture<>();
        Arrivals<byte[]> arrivals = new Arrivals<>(ByteBuffer::wrap, r -> onRecord.accept(r.clone()), found);
        keywords.get(key, KEYWORDS_PER_KEY, env.nowMillis()).forEach(arrivals::offer);
        lookup(key, table.closest(key, config.k()), Kind.KEYWORDS, new Lookup.Finds() {
            @Override
            public void holder(InetSocketAddress address) {
            }

            @Override
            public void value(byte[] value) {
                arrivals.offer(value);
            }
        }, r -> found.complete(arrivals.all()));
        return found;
    }

    @Override
    public void receive(InetSocketAddress from, byte[] datagram) {
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            Optional<KrpcError> reply = e.reply(VERSION);
            if (reply.isEmpty()) {
                garbage++;
            } else if (limiter.tryAcquire(from.getAddress(), env.nowMillis())) {
                malformed++;
                env.send(from, KrpcCodec.encode(reply.get()));
            } else {
                rateLimited++;
            }
            return;
        } catch (RuntimeException e) {
            garbage++;
            return;
        }
        if (message instanceof KrpcQuery q) {
            if (!limiter.tryAcquire(from.getAddress(), env.nowMillis())) {
                rateLimited++;
                return;
            }
            traffic.queryIn(q.method());
            answer(from, q, datagram.length);
        } else if (!transactions.complete(from, message.transactionId().toBytes(), message)) {
            unknownReplies++;
        }
    }

    private void answer(InetSocketAddress from, KrpcQuery query, int queryBytes) {
        long now = env.nowMillis();
        TransactionId tid = query.transactionId();
        if (query.senderId().equals(id)) {
            garbage++;
            return;
        }
        if (query instanceof ConnectBackQuery q) {
            connectBack(from, q, queryBytes);
            return;
        }
        if (query instanceof ConnectToMeQuery q && !provesReceipt(from, Optional.of(q.token()))) {
            malformed++;
            env.send(from, KrpcCodec.encode(new KrpcError(tid, KrpcError.PROTOCOL, "bad token", VERSION)));
            return;
        }
        KrpcMessage reply;
        if (query instanceof PingQuery) {
            reply = KrpcResponse.ofId(tid, id, VERSION);
        } else if (query instanceof FindNodeQuery q) {
            reply = new KrpcResponse(tid, id, nodesNear(q.target(), q.senderId()), List.of(), Optional.empty(),
                    List.of(), VERSION);
        } else if (query instanceof GetPeersQuery q) {
            reply = withinBudget(new KrpcResponse(tid, id, nodesNear(q.infoHash(), q.senderId()),
                    holdersOf(q.infoHash(), from, now), Optional.of(tokenFor(from)), List.of(), VERSION)
                    .withRelayed(reverse.relayedOf(q.infoHash(), unreachable ? ownHolderAddress(q.infoHash(), from) : null,
                            config.holdersReturned(), now)),
                    provesReceipt(from, q.token()), queryBytes);
        } else if (query instanceof GetManifestsQuery q) {
            List<EncodedManifest> found = manifests.get(q.key(), KrpcResponse.MAX_MANIFESTS, now).stream()
                    .map(EncodedManifest::of).toList();
            reply = withinBudget(new KrpcResponse(tid, id, nodesNear(q.key(), q.senderId()), List.of(),
                    Optional.of(tokenFor(from)), found, VERSION), provesReceipt(from, q.token()), queryBytes);
        } else if (query instanceof GetKeywordsQuery q) {
            List<EncodedKeyword> found = keywords.get(q.key(), KrpcResponse.MAX_KEYWORDS, now).stream()
                    .map(EncodedKeyword::of).toList();
            reply = withinBudget(new KrpcResponse(tid, id, nodesNear(q.key(), q.senderId()), List.of(),
                    Optional.of(tokenFor(from)), List.of(), found, 0, VERSION, Optional.empty()), provesReceipt(from, q.token()),
                    queryBytes);
        } else if (query instanceof PutKeywordQuery q) {
            reply = store(from, q);
        } else if (query instanceof AnnouncePeerQuery q) {
            reply = store(from, q);
        } else if (query instanceof PutManifestQuery q) {
            reply = store(from, q);
        } else if (query instanceof SampleInfohashesQuery q) {
            reply = sampleReply(from, q, queryBytes, now);
        } else if (query instanceof ConnectToMeQuery q) {
            reply = reverse.connectToMe(from, q, now);
        } else if (query instanceof ReverseConnectQuery q) {
            reply = reverse.reverseConnect(from, q, now);
        } else {
            reply = new KrpcError(tid, KrpcError.METHOD_UNKNOWN, "unknown method " + query.method(), VERSION);
        }
        if (reply instanceof KrpcError) {
            malformed++;
        } else {
            queriesAnswered++;
            learn(new Contact(query.senderId(), from), false);
        }
        env.send(from, encodeTellingWhereFrom(reply, from, provenQueryBytes(from, query, queryBytes)));
    }

    /**
     * Answers a connect_back once a TCP connection to the querier's own source address, at the
     * port it names, opened or failed ({@link ConnectBackLimit} bounds how many a minute; beyond
     * it the answer is error 202 at once).
     */
    private void connectBack(InetSocketAddress from, ConnectBackQuery q, int queryBytes) {
        if (!connectBacks.tryAcquire(from.getAddress(), env.nowMillis())) {
            queriesRefused++;
            env.send(from, KrpcCodec.encode(new KrpcError(q.transactionId(), KrpcError.SERVER,
                    "connect_back refused: too many this minute", VERSION)));
            return;
        }
        queriesAnswered++;
        learn(new Contact(q.senderId(), from), false);
        env.probeTcp(new InetSocketAddress(from.getAddress(), q.port()), CONNECT_BACK_TIMEOUT_MILLIS,
                reached -> env.send(from, encodeTellingWhereFrom(
                        KrpcResponse.connectBack(q.transactionId(), id, reached, VERSION), from, queryBytes)));
    }

    /**
     * Asks up to {@code peers} live contacts, outside the private ranges and each in its own /24,
     * to open a TCP connection to this node's source address at {@code port} (connect_back):
     * whether peers can reach this node there. Completes when each has answered or timed out.
     */
    public CompletableFuture<ConnectBackResult> checkReachable(int port, int peers) {
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
        int[] left = {chosen.size()};
        Runnable one = () -> {
            if (--left[0] == 0) {
                done.complete(new ConnectBackResult(chosen.size(), answered[0], reached[0]));
            }
        };
        for (Contact c : chosen) {
            query(c.address(), c.id(), t -> new ConnectBackQuery(t, id, port, VERSION), reply -> {
                if (reply instanceof KrpcResponse r && r.reached().isPresent()) {
                    answered[0]++;
                    if (r.reached().get()) {
                        reached[0]++;
                    }
                }
                one.run();
            }, one, true);
        }
        return done;
    }

    /**
     * {@code reply}'s datagram, a response with BEP 42's "ip" (where the query came from, so a
     * node behind a NAT learns its external address) unless that would take it over
     * {@link #AMPLIFICATION_PERCENT} of the query.
     */
    /**
     * The query size the amplification budget counts from: a querier whose token proves it
     * receives our datagrams is not held to the budget (its answer is sent whole), so neither is
     * its "ip".
     */
    private int provenQueryBytes(InetSocketAddress from, KrpcQuery query, int queryBytes) {
        Optional<Token> token = Optional.empty();
        if (query instanceof GetPeersQuery q) {
            token = q.token();
        } else if (query instanceof GetManifestsQuery q) {
            token = q.token();
        } else if (query instanceof GetKeywordsQuery q) {
            token = q.token();
        } else if (query instanceof SampleInfohashesQuery q) {
            token = q.token();
        }
        return provesReceipt(from, token) ? KrpcCodec.MAX_DATAGRAM_BYTES : queryBytes;
    }

    private static byte[] encodeTellingWhereFrom(KrpcMessage reply, InetSocketAddress from, int queryBytes) {
        if (reply instanceof KrpcResponse r && from.getAddress() instanceof Inet4Address && from.getPort() != 0) {
            byte[] told = KrpcCodec.encode(r.toRequester(from));
            if (told.length <= queryBytes * AMPLIFICATION_PERCENT / 100) {
                return told;
            }
        }
        return KrpcCodec.encode(reply);
    }

    /**
     * The holders of {@code key} for a get_peers answer: this node itself first when it serves
     * the content (at its address toward the querier, with the TCP port it announces; a lone
     * holder has no other node to store its record), then the stored records.
     */
    private List<PeerInfo> holdersOf(NodeId key, InetSocketAddress querier, long now) {
        List<InetSocketAddress> found = new ArrayList<>();
        InetSocketAddress self = unreachable ? null : ownHolderAddress(key, querier);
        if (self != null) {
            found.add(self);
        }
        for (InetSocketAddress a : holders.get(key, config.holdersReturned(), now)) {
            if (a.getAddress() instanceof Inet4Address && !found.contains(a) && found.size() < config.holdersReturned()) {
                found.add(a);
            }
        }
        return found.stream().map(PeerInfo::new).toList();
    }

    /** This node as a holder of {@code key} toward {@code querier}, or null when it does not announce it. */
    private InetSocketAddress ownHolderAddress(NodeId key, InetSocketAddress querier) {
        Integer port = announced.get(key);
        InetAddress self = port == null ? null : selfToward(querier);
        return self instanceof Inet4Address ? new InetSocketAddress(self, port) : null;
    }

    /**
     * Where {@code querier} reaches this node: behind a NAT (a private local address, a querier
     * outside the private ranges), at the external address the answering peers agree on, where
     * the router forwards the announced port when it maps it; otherwise at the local address
     * toward the querier.
     */
    private InetAddress selfToward(InetSocketAddress querier) {
        InetAddress local = env.localAddressToward(querier);
        if (local != null && isPrivate(local) && !isPrivate(querier.getAddress())) {
            Optional<InetSocketAddress> external = externalVote.winner(env.nowMillis());
            if (external.isPresent()) {
                return external.get().getAddress();
            }
        }
        return local;
    }

    private static boolean isPrivate(InetAddress a) {
        return a.isSiteLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress();
    }

    private boolean provesReceipt(InetSocketAddress from, Optional<Token> token) {
        return token.isPresent() && tokens.isValid(from.getAddress(), token.get().toBytes(), env.nowMillis());
    }

    /**
     * {@code full} itself for a querier that proved it receives our datagrams; otherwise without
     * manifests and with as many values as keep it within {@link #AMPLIFICATION_PERCENT} of the
     * query's size, saying how many it withheld (the token in it gets them on a second query).
     */
    private static KrpcResponse withinBudget(KrpcResponse full, boolean proven, int queryBytes) {
        int budget = queryBytes * AMPLIFICATION_PERCENT / 100 - REQUESTER_FIELD_BYTES;
        if (proven || (full.manifests().isEmpty() && full.keywords().isEmpty() && full.relayed().isEmpty()
                && KrpcCodec.encode(full).length <= budget)) {
            return full;
        }
        int keep = full.values().size();
        KrpcResponse trimmed;
        do {
            trimmed = new KrpcResponse(full.transactionId(), full.responderId(), full.nodes(),
                    full.values().subList(0, keep), full.token(), List.of(),
                    full.values().size() - keep + full.manifests().size() + full.keywords().size()
                            + full.relayed().size(), full.version());
        } while (keep-- > 0 && KrpcCodec.encode(trimmed).length > budget);
        return trimmed;
    }

    private KrpcMessage store(InetSocketAddress from, AnnouncePeerQuery q) {
        if (!tokens.isValid(from.getAddress(), q.token().toBytes(), env.nowMillis())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "bad token", VERSION);
        }
        long expires = env.nowMillis() + recordTtl(config.holderTtlMillis(), q.infoHash());
        if (!holders.put(q.infoHash(), q.holderAddress(from), expires, q.unreachable() ? from : null)) {
            return new KrpcError(q.transactionId(), KrpcError.GENERIC, "holder store full", VERSION);
        }
        return KrpcResponse.ofId(q.transactionId(), id, VERSION);
    }

    private KrpcMessage store(InetSocketAddress from, PutManifestQuery q) {
        if (!tokens.isValid(from.getAddress(), q.token().toBytes(), env.nowMillis())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "bad token", VERSION);
        }
        byte[] encoded = q.manifest().toBytes();
        Manifest manifest;
        try {
            manifest = ManifestCodec.decode(encoded);
        } catch (ManifestException | RuntimeException e) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "invalid manifest", VERSION);
        }
        if (!NodeId.of(manifest.id().dhtKey()).equals(q.key())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "manifest does not belong to key", VERSION);
        }
        long expires = env.nowMillis() + recordTtl(config.manifestTtlMillis(), q.key());
        return stored(q.transactionId(), manifests.put(q.key(), manifest.publisherKey(),
                manifest.createdEpochSeconds(), encoded, expires, from.getAddress()),
                "manifest store full", "a later manifest of this publisher is stored");
    }

    private KrpcMessage stored(TransactionId tid, ManifestStore.Outcome outcome, String full, String older) {
        return switch (outcome) {
            case STORED -> KrpcResponse.ofId(tid, id, VERSION);
            case FULL -> new KrpcError(tid, KrpcError.GENERIC, full, VERSION);
            case OLDER -> new KrpcError(tid, KrpcError.GENERIC, older, VERSION);
        };
    }

    private KrpcMessage store(InetSocketAddress from, PutKeywordQuery q) {
        if (!tokens.isValid(from.getAddress(), q.token().toBytes(), env.nowMillis())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "bad token", VERSION);
        }
        byte[] encoded = q.record().toBytes();
        KeywordRecord record;
        try {
            record = KeywordRecordCodec.decode(encoded);
        } catch (ManifestException | RuntimeException e) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "invalid keyword record", VERSION);
        }
        if (!NodeId.of(record.dhtKey()).equals(q.key())) {
            return new KrpcError(q.transactionId(), KrpcError.PROTOCOL, "keyword record does not belong to key",
                    VERSION);
        }
        Manifest manifest = record.manifest();
        long expires = env.nowMillis() + recordTtl(config.manifestTtlMillis(), q.key());
        String publisher = java.util.HexFormat.of().formatHex(manifest.publisherKey());
        return stored(q.transactionId(), keywords.put(q.key(), publisher + "/" + manifest.id().toHex(), publisher,
                manifest.createdEpochSeconds(), encoded, expires, from.getAddress()),
                "keyword store full", "a later record of this publisher and content is stored");
    }

    /** Full TTL among the key's k closest, shorter the more nodes lie between us and the key. */
    private long recordTtl(long fullTtlMillis, NodeId key) {
        return CacheTtl.ttlMillis(fullTtlMillis, config.cacheMinTtlMillis(),
                CacheTtl.closerContacts(table, key), config.k());
    }

    private Token tokenFor(InetSocketAddress from) {
        return Token.of(tokens.issue(from.getAddress(), env.nowMillis()));
    }

    /**
     * The k contacts closest to {@code target}, leaving out the asker: it knows where it is. One
     * of them not heard from for a while is pinged, so a departed one leaves the answers soon.
     */
    private List<NodeInfo> nodesNear(NodeId target, NodeId asker) {
        List<Contact> near = table.closest(target, config.k() + 1).stream()
                .filter(c -> !c.id().equals(asker))
                .limit(config.k())
                .toList();
        Contact check = table.dueForCheck(near, env.nowMillis());
        if (check != null) {
            ping(check);
        }
        return near.stream().map(c -> new NodeInfo(c.id(), c.address())).toList();
    }

    private static List<Contact> contactsOf(List<NodeInfo> nodes) {
        return nodes.stream().map(n -> new Contact(n.id(), n.address())).toList();
    }

    /**
     * Adds or refreshes a routing contact, pinging a questionable one when the table asks to. A
     * contact added because it queried us has never answered us, so it is not good yet (BEP 5): it
     * is pinged once, which makes a node that joined through us a live contact (or, when its
     * source address was forged, leaves it questionable). A contact that failed us within the
     * questionable interval is not pinged again when it comes back with a query, so an address
     * that never answers gets the ping and its confirmation, not one per query it is named in.
     */
    private void learn(Contact contact, boolean response) {
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
    private void ping(Contact contact) {
        query(contact.address(), contact.id(), tid -> new PingQuery(tid, id, VERSION), reply -> { }, () -> { });
    }

    private interface QueryMaker {
        KrpcQuery make(TransactionId tid);
    }

    /**
     * Sends a query; a response updates the routing table and the RTT estimate before
     * {@code onReply} runs. After the RTT-derived hard timeout it counts as unanswered: a failure of
     * {@code expected} (when known) if the routing table counts it, then a ping to confirm when the
     * table asks for one, then {@code onTimeout}. A reply that comes later, up to
     * {@link DhtConfig#queryTimeoutMillis()} after sending, still updates the table and the
     * estimate (so a timeout that was too short for a loaded peer or network grows again).
     */
    private long query(InetSocketAddress to, NodeId expected, QueryMaker maker,
                       Consumer<KrpcMessage> onReply, Runnable onTimeout) {
        return query(to, expected, maker, onReply, onTimeout, false);
    }

    /**
     * {@link #query}; a {@code patient} one waits the whole query timeout instead of the RTT-based
     * hard timeout, for a peer that has just answered us and whose answer nothing else replaces.
     */
    private long query(InetSocketAddress to, NodeId expected, QueryMaker maker,
                       Consumer<KrpcMessage> onReply, Runnable onTimeout, boolean patient) {
        long delay = pacer.delayMillis(to, env.nowMillis());
        if (delay < 0) {
            queriesRefused++;
            onTimeout.run();
        } else if (delay == 0) {
            send(to, expected, maker, onReply, onTimeout, patient);
        } else {
            queriesPaced++;
            env.schedule(delay, () -> send(to, expected, maker, onReply, onTimeout, patient));
        }
        return delay;
    }

    /** Sends a query now: {@link #query} after its pacing delay. */
    private void send(InetSocketAddress to, NodeId expected, QueryMaker maker,
                      Consumer<KrpcMessage> onReply, Runnable onTimeout, boolean patient) {
        long sentAt = env.nowMillis();
        long timeoutMillis = patient ? config.queryTimeoutMillis() : rtt.hardTimeoutMillis();
        byte[] tid = transactions.open(to, timeoutMillis, config.queryTimeoutMillis(), reply -> {
            heardBack(to, sentAt, reply);
            onReply.accept(reply);
        }, () -> {
            if (expected != null
                    && table.failed(expected, sentAt, env.nowMillis()) == RoutingTable.Failure.PING) {
                query(to, expected, t -> new PingQuery(t, id, VERSION), reply -> { }, () -> { });
            }
            onTimeout.run();
        }, reply -> heardBack(to, sentAt, reply));
        if (tid == null) {
            queriesRefused++;
            onTimeout.run();
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

    private enum Kind { NODES, PEERS, MANIFESTS, KEYWORDS }

    private record LookupKey(NodeId target, Kind kind) {}

    /**
     * Runs a lookup, or joins the one already running for the same target and kind: its result
     * goes to every caller, so concurrent gets of one file cost one lookup, not one each.
     */
    private void lookup(NodeId target, List<Contact> seeds, Kind kind, Consumer<Lookup.Result> onDone) {
        lookup(target, seeds, kind, Lookup.Finds.NONE, onDone);
    }

    /**
     * Runs a lookup from {@code seeds} (when the table held only suspect contacts, so the seeds
     * are empty, from those rather than from nobody), or joins the one already running for the
     * same target and kind ({@link JoinedLookup}).
     */
    private void lookup(NodeId target, List<Contact> seeds, Kind kind, Lookup.Finds finds,
                        Consumer<Lookup.Result> onDone) {
        LookupKey key = new LookupKey(target, kind);
        JoinedLookup running = this.running.get(key);
        if (running != null) {
            lookupsJoined++;
            running.join(finds, onDone);
            return;
        }
        JoinedLookup callers = new JoinedLookup(finds, onDone);
        this.running.put(key, callers);
        long startedAt = env.nowMillis();
        WithheldFetches withheld = new WithheldFetches(callers, r -> {
            traffic.lookupDone(kind.name().toLowerCase(Locale.ROOT), env.nowMillis() - startedAt);
            this.running.remove(key);
            callers.done(r);
        });
        List<Contact> from = seeds.isEmpty() ? table.closestIncludingSuspects(target, config.k()) : seeds;
        LookupConfig paths = kind == Kind.NODES ? config.lookup().forNodes() : config.lookup();
        new DisjointLookup(target, id, from, paths, env, rtt,
                (l, to) -> ask(l, to, target, kind, withheld), callers, withheld::lookupDone).start();
    }

    private static KrpcQuery lookupQuery(TransactionId tid, NodeId self, NodeId target, Kind kind, Token token) {
        Optional<Token> carried = Optional.ofNullable(token);
        return switch (kind) {
            case NODES -> new FindNodeQuery(tid, self, target, VERSION);
            case PEERS -> new GetPeersQuery(tid, self, target, carried, VERSION);
            case MANIFESTS -> new GetManifestsQuery(tid, self, target, carried, VERSION);
            case KEYWORDS -> new GetKeywordsQuery(tid, self, target, carried, VERSION);
        };
    }

    /**
     * One lookup query to {@code to}, carrying the token it gave us last if that is recent. An
     * answer that withheld values or manifests (no valid token: an unproven address gets at most
     * about 3.5 times its query) counts for the lookup at once, and {@code to} is asked again
     * with the token that answer carried ({@link WithheldFetches}).
     */
    private void ask(Lookup l, Contact to, NodeId target, Kind kind, WithheldFetches withheld) {
        Token recent = peerTokens.recent(to.address(), env.nowMillis());
        long delay = query(to.address(), to.id(), tid -> lookupQuery(tid, id, target, kind, recent), reply -> {
            if (!(reply instanceof KrpcResponse r)) {
                l.failed(to);
                return;
            }
            r.token().ifPresent(t -> peerTokens.remember(to.address(), t, env.nowMillis()));
            r.relayed().forEach(h -> withheld.relayed(h.address(), to.address()));
            boolean askAgain = r.withheld() > 0 && r.token().isPresent();
            if (askAgain) {
                withheld.started();
            }
            l.responded(to, responseOf(r, target, kind));
            if (askAgain) {
                query(to.address(), to.id(), tid -> lookupQuery(tid, id, target, kind, r.token().get()), again -> {
                    if (again instanceof KrpcResponse r2) {
                        r2.relayed().forEach(h -> withheld.relayed(h.address(), to.address()));
                        withheld.arrived(to, responseOf(r2, target, kind));
                    } else {
                        withheld.ended();
                    }
                }, withheld::ended, true);
            }
        }, () -> l.failed(to));
        if (delay > 0) {
            l.paced(to, delay); // its timeouts run from when it is sent, not from now
        }
    }

    /** An answer as the lookup sees it: its contacts, less those this node has seen fail. */
    private Lookup.Response responseOf(KrpcResponse r, NodeId target, Kind kind) {
        List<byte[]> values = kind == Kind.KEYWORDS ? keywordsOf(r, target) : new ArrayList<>();
        for (EncodedManifest m : kind == Kind.KEYWORDS ? List.<EncodedManifest>of() : r.manifests()) {
            byte[] bytes = m.toBytes();
            try {
                if (NodeId.of(ManifestCodec.decode(bytes).id().dhtKey()).equals(target)) {
                    values.add(bytes);
                }
            } catch (ManifestException | RuntimeException e) {
                // a forged or foreign manifest is simply not collected
            }
        }
        long now = env.nowMillis();
        List<Contact> nodes = contactsOf(r.nodes()).stream().filter(c -> !table.seenFailing(c.id(), now)).toList();
        return new Lookup.Response(nodes,
                r.values().stream().map(PeerInfo::address).toList(), values,
                r.token().map(Token::toBytes).orElse(null));
    }

    /** The keyword records of an answer that verify and belong to {@code target}: forged ones are dropped. */
    private static List<byte[]> keywordsOf(KrpcResponse r, NodeId target) {
        List<byte[]> values = new ArrayList<>();
        for (EncodedKeyword k : r.keywords()) {
            byte[] bytes = k.toBytes();
            try {
                if (NodeId.of(KeywordRecordCodec.decode(bytes).dhtKey()).equals(target)) {
                    values.add(bytes);
                }
            } catch (ManifestException | RuntimeException e) {
                // a forged or foreign record is simply not collected
            }
        }
        return values;
    }

    private interface StoreQueryMaker {
        KrpcQuery make(TransactionId tid, Token token);
    }

    private void storeAtClosest(Lookup.Result result, StoreQueryMaker maker, CompletableFuture<Integer> done) {
        storeAtClosest(result, maker, done, stored -> { });
    }

    /** {@link #storeAtClosest}, telling {@code onStored} each node that accepted. */
    private void storeAtClosest(Lookup.Result result, StoreQueryMaker maker, CompletableFuture<Integer> done,
            Consumer<InetSocketAddress> onStored) {
        List<Lookup.Responder> targets = result.closest().stream().filter(r -> r.token() != null).toList();
        int[] outstanding = {targets.size()};
        int[] accepted = {0};
        if (targets.isEmpty()) {
            done.complete(0);
        }
        for (Lookup.Responder r : targets) {
            Token token = Token.of(r.token());
            Runnable finished = () -> {
                if (--outstanding[0] == 0) {
                    done.complete(accepted[0]);
                }
            };
            query(r.contact().address(), r.contact().id(), tid -> maker.make(tid, token), reply -> {
                if (reply instanceof KrpcResponse) {
                    accepted[0]++;
                    onStored.accept(r.contact().address());
                }
                finished.run();
            }, finished);
        }
    }

    private void refreshAll(List<NodeId> targets, Runnable then) {
        if (targets.isEmpty()) {
            then.run();
            return;
        }
        int[] outstanding = {targets.size()};
        for (NodeId target : targets) {
            lookup(target, table.closest(target, config.k()), Kind.NODES, r -> {
                if (--outstanding[0] == 0) {
                    then.run();
                }
            });
        }
    }

    private void maintain() {
        long now = env.nowMillis();
        holders.expire(now);
        manifests.expire(now);
        keywords.expire(now);
        rejoinIfAlone(now);
        for (NodeId target : table.refreshTargets(now, env.random())) {
            lookup(target, table.closest(target, config.k()), Kind.NODES, r -> { });
        }
    }

    private void reannounce() {
        new LinkedHashMap<>(announced).forEach(this::announce);
    }

    private void republish() {
        new ArrayList<>(published.values()).forEach(p -> putManifest(p.encoded()));
        republishKeywords();
    }

    /**
     * Puts every keyword record again, spread evenly over half a republish period: a node sharing
     * thousands of files has several records per file, and all at once would queue more lookups
     * than the pacer lets through in time. A record withdrawn meanwhile is skipped.
     */
    private void republishKeywords() {
        List<String> names = new ArrayList<>(publishedKeywords.keySet());
        long gapMillis = names.isEmpty() ? 0 : config.republishMillis() / 2 / names.size();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            env.schedule(i * gapMillis, () -> {
                PublishedKeyword p = publishedKeywords.get(name);
                if (p != null && !stopped) {
                    putKeyword(p.encoded());
                }
            });
        }
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
