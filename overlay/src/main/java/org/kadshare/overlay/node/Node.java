package org.kadshare.overlay.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.kadshare.overlay.dht.DhtContact;
import org.kadshare.overlay.dht.DhtStatus;
import org.kadshare.overlay.dht.KrpcTraffic;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.reach.Reachability;
import org.kadshare.overlay.reach.ReachabilityMonitor;
import org.kadshare.overlay.reach.ReachOptions;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.overlay.runtime.DhtOptions;
import org.kadshare.overlay.runtime.UdpCounters;
import org.kadshare.overlay.transfer.PeerClass;
import org.kadshare.overlay.transfer.download.DownloadDisk;
import org.kadshare.overlay.transfer.download.DownloadOptions;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.server.BlockServer;
import org.kadshare.overlay.transfer.server.ServerConfig;
import org.kadshare.overlay.transfer.server.UploadTotals;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.Collection;
import org.kadshare.storage.CollectionBuilder;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.HotCacheStats;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.MediaTypes;
import org.kadshare.storage.NodeIdentity;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.StoreConfig;
import org.kadshare.storage.StoredFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kadshare node: the DHT, the block server, the downloader and the local store composed into
 * one object that a program (the CLI) drives.
 *
 * <p>Design note. The node owns no protocol logic; it wires the parts and keeps them in step. Its
 * data directory holds the Ed25519 identity ({@code identity.key}), the DHT node ID
 * ({@code node-id}, created once, so a restart keeps its place), the block store
 * ({@code store/}), the signed manifests ({@code manifests/}) and a snapshot of the routing
 * table's contacts ({@code contacts}). Holder records always name the block server's TCP port.
 * After every join, and then every {@link org.kadshare.overlay.dht.DhtConfig#reannounceMillis()},
 * a sweep announces every complete file of the store and republishes every local manifest, so
 * files put while the node was offline are found too (the DHT core re-announces what it was asked
 * to announce by itself). One daemon thread ({@code kadshare-node}) runs the sweeps, the contact
 * snapshots (every minute and on close) and the bookkeeping of each {@code get}. The parts with a
 * job of their own: {@link SharePublisher} (announcing and publishing, and the sweeps),
 * {@link RunningGets} (the gets running now), {@link NodeBrowse} (one browse).
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final long SNAPSHOT_EVERY_MILLIS = 60_000;
    private static final long WAIT_MILLIS = 5_000;
    /** Manifest lookups one browse runs at once. */
    static final int BROWSE_PARALLEL_LOOKUPS = 8;
    /** How often every shared file is checked for changes on disk (one {@code stat} each). */
    static final long SHARE_SCAN_MILLIS = 60_000;

    private final NodeConfig config;
    private final NodeIdentity identity;
    private final NodeId nodeId;
    private final BlockStore store;
    private final LocalManifests manifests;
    private final Dht dht;
    private final BlockServer server;
    private final TransportSecurity security;
    private final ContactSnapshot snapshot;
    private final ScheduledExecutorService executor;
    /** The disk threads of this node's downloads. */
    private final DownloadDisk downloadDisk;
    private final RunningGets gets = new RunningGets();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final SharePublisher publisher;
    private final Transfers transfers;
    private final ReachabilityMonitor reach;
    private final RelayedHolders relayed;
    private final UnreachableFlag unreachable;

    private Node(NodeConfig config, NodeIdentity identity, NodeId nodeId, BlockStore store, LocalManifests manifests,
            Dht dht, BlockServer server, TransportSecurity security, ReachOptions reachOptions) {
        this.config = config;
        this.security = security;
        this.identity = identity;
        this.nodeId = nodeId;
        this.store = store;
        this.manifests = manifests;
        this.dht = dht;
        this.server = server;
        this.snapshot = new ContactSnapshot(config.dataDir());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kadshare-node");
            t.setDaemon(true);
            return t;
        });
        this.downloadDisk = DownloadDisk.create(DownloadOptions.defaults(nodeId).diskThreads(),
                "kadshare-download-disk");
        this.publisher = new SharePublisher(nodeId, identity, dht, store, manifests, executor,
                this::announcedTcpPort, closed::get);
        this.transfers = new Transfers(this::get, this::discardPartial, server::uploads, System::nanoTime);
        store.onStale(publisher::withdrawStale);
        this.reach = ReachabilityMonitor.start(reachOptions, server.address().getPort(), dht.localAddress().getPort(),
                dht::externalAddress, (port, udpPort) -> dht.checkReachable(port, udpPort, ReachabilityMonitor.CHECKING_PEERS),
                () -> dht.findHolders(NodeId.random(new SplittableRandom())),
                () -> executor.execute(publisher::announceAll));
        this.relayed = new RelayedHolders(server, dht, reach::announcedTcpPort);
        this.unreachable = UnreachableFlag.start(dht, reach, () -> executor.execute(publisher::announceAll), executor);
        dht.reverseDialer((key, getter, cookie) -> {
            LOG.info("A getter asked through a relay for {}: connecting to it at {}:{} (this node cannot be reached)",
                    key, getter.getAddress().getHostAddress(), getter.getPort());
            server.dialOut(getter, cookie.toBytes());
        });
    }

    /**
     * Opens the data directory (identity, store, manifests), binds the DHT (UDP) and block server
     * (TCP), and starts re-announcing everything the store holds. Does not join: call
     * {@link #join}.
     *
     * @throws java.net.BindException or another {@link IOException} naming the address or file
     *     that failed; whatever was opened is closed again
     */
    public static Node start(NodeConfig config) throws IOException {
        return start(config, ReachOptions.OFF);
    }

    /**
     * {@link #start(NodeConfig)}, trying to become reachable as {@code reach} says: behind a NAT,
     * by asking the router for port mappings, and then announcing the router's port. A node bound
     * to a loopback address has no router to ask: it maps nothing.
     */
    public static Node start(NodeConfig config, ReachOptions reach) throws IOException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(reach, "reach");
        if (config.bindAddress().isLoopbackAddress()) {
            reach = ReachOptions.OFF;
        }
        Path dataDir = config.dataDir().toAbsolutePath();
        Files.createDirectories(dataDir);
        NodeIdentity identity = NodeIdentity.loadOrCreate(dataDir);
        NodeId nodeId = NodeIdFile.loadOrCreate(dataDir);
        BlockStore store = BlockStore.open(dataDir.resolve("store"),
                StoreConfig.defaults().withCacheSizeBytes(config.cacheSizeBytes())
                        .withRereadOnComplete(config.rereadOnComplete()).withDirectWrites(config.directWrites()));
        Dht dht = null;
        try {
            dht = Dht.start(DhtOptions.bindTo(new InetSocketAddress(config.bindAddress(), config.dhtPort()))
                    .withNodeId(nodeId).withConfig(config.dht()));
            TransportSecurity security = TransportSecurity.of(config.encryption(), identity, nodeId);
            security.warmUpInBackground();
            BlockServer server = BlockServer.start(store, nodeId, ServerConfig.defaults()
                    .withBindAddress(new InetSocketAddress(config.bindAddress(), config.transferPort()))
                    .withUploadSlots(config.uploadSlots())
                    .withUploadBytesPerSecond(config.uploadBytesPerSecond()), security);
            Node node = new Node(config, identity, nodeId, store, LocalManifests.open(dataDir.resolve("manifests")),
                    dht, server, security, reach);
            node.startTimers();
            return node;
        } catch (IOException | RuntimeException e) {
            if (dht != null) {
                dht.close();
            }
            store.close();
            throw e;
        }
    }

    private void startTimers() {
        long sweep = config.dht().reannounceMillis();
        executor.scheduleWithFixedDelay(publisher::announceAll, sweep, sweep, TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::saveContacts, SNAPSHOT_EVERY_MILLIS, SNAPSHOT_EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(this::scanShares, SHARE_SCAN_MILLIS, SHARE_SCAN_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The periodic check of every shared file (the store's listener withdraws the changed ones). */
    private void scanShares() {
        try {
            store.checkAll();
        } catch (RuntimeException e) {
            LOG.warn("checking the shared files of {} for changes failed: {}", nodeId, e.toString());
        }
    }

    /**
     * Joins the network through {@code bootstrap}, the config's bootstrap nodes and the contacts
     * saved by an earlier run; completes with the routing-table size. With none of them known it
     * completes with 0 (the first node of a network). Everything held is announced afterwards.
     */
    public CompletableFuture<Integer> join(List<InetSocketAddress> bootstrap) {
        checkOpen();
        Set<InetSocketAddress> seeds = new LinkedHashSet<>(bootstrap);
        seeds.addAll(config.bootstrap());
        seeds.addAll(snapshot.load());
        seeds.remove(dht.localAddress());
        CompletableFuture<Integer> joined = seeds.isEmpty() ? CompletableFuture.completedFuture(0)
                : dht.join(List.copyOf(seeds));
        return joined.whenComplete((size, error) -> {
            if (error == null && !executor.isShutdown()) {
                executor.execute(() -> {
                    saveContacts(); // first: announcing thousands of files takes a while
                    publisher.announceAll();
                    publisher.publishKeywords();
                });
            }
        });
    }

    /**
     * Shares a file: adds it to the store, signs its manifest, and returns at once; announcing
     * and publishing the manifest continue in the background ({@link PutResult#announced()}, which
     * completes with how many nodes accepted the holder record).
     *
     * @throws NoSuchFileException if {@code file} is not a regular file
     * @throws AccessDeniedException if it cannot be read
     * @throws IllegalArgumentException if the name or media type cannot go in a manifest
     */
    public PutResult put(Path file, PutOptions options) throws IOException {
        checkOpen();
        Objects.requireNonNull(options, "options");
        Path path = file.toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new AccessDeniedException(path.toString(), null, "cannot read it");
        }
        CollectionBuilder.Shared shared = store(path, options);
        manifests.saveTags(shared.stored().id(), options.tags());
        return new PutResult(shared.stored(), shared.manifest(), publisher.publish(shared.manifest()));
    }

    /** Adds a file to the store and signs and keeps its manifest; nothing goes to the DHT yet. */
    private CollectionBuilder.Shared store(Path path, PutOptions options) throws IOException {
        String name = options.name().orElse(path.getFileName().toString());
        String mediaType = options.mediaType().orElseGet(() -> MediaTypes.guess(name));
        long now = Instant.now().getEpochSecond();
        Manifest.sign(ContentId.of(new byte[ContentId.LENGTH_BYTES]), 0, name, mediaType, now, identity);
        StoredFile stored = store.add(path, options.copy() ? AddMode.COPY : AddMode.REFERENCE);
        Manifest manifest = Manifest.sign(stored.id(), stored.lengthBytes(), name, mediaType, now, identity);
        manifests.save(manifest);
        return new CollectionBuilder.Shared(stored, manifest);
    }

    /**
     * Searches the network for files by the words of their names ({@link org.kadshare.storage.Keywords});
     * completes with at most 20 results, best first (see {@link SearchRanking}).
     *
     * @throws IllegalArgumentException if {@code query} has no searchable word
     */
    public CompletableFuture<List<SearchResult>> search(String query) {
        checkOpen();
        return NodeSearch.run(dht, Objects.requireNonNull(query, "query"));
    }

    /** Starts fetching {@code id} into the file {@code destination}; follow it through the returned task. */
    public GetTask get(ContentId id, Path destination, GetOptions options) {
        checkOpen();
        return getFile(Objects.requireNonNull(id, "id"),
                DestinationNamer.fixed(Objects.requireNonNull(destination, "destination"), options.overwrite()),
                Objects.requireNonNull(options, "options"));
    }

    /**
     * Starts fetching {@code id} to {@code target}: a file named from its manifests, or a whole
     * collection's tree when its manifest says it is one ({@link CollectionAwareGet}).
     */
    public GetTask get(ContentId id, GetTarget target, GetOptions options) {
        checkOpen();
        CollectionAwareGet task = new CollectionAwareGet(this, Objects.requireNonNull(id, "id"),
                Objects.requireNonNull(target, "target"), Objects.requireNonNull(options, "options"));
        executor.execute(task::start);
        return task;
    }

    NodeGet getFile(ContentId id, DestinationNamer namer, GetOptions options) {
        return getFile(id, namer, options, List.of());
    }

    NodeGet getFile(ContentId id, DestinationNamer namer, GetOptions options, List<InetSocketAddress> knownHolders) {
        checkOpen();
        NodeGet task = new NodeGet(this, id, namer, options, knownHolders);
        gets.add(task);
        executor.execute(task::start);
        return task;
    }

    /** The downloads this node runs and the uploads it serves, to list and steer. */
    public Transfers transfers() {
        return transfers;
    }

    /** Deletes the verified part of a download of {@code id} kept in the store, if there is one. */
    private void discardPartial(ContentId id) throws IOException {
        Optional<PartialDownload> partial = store.resumeDownload(id);
        if (partial.isPresent()) {
            partial.get().discard();
        }
    }

    /** What the node is and holds now (waits a bounded time for the DHT's snapshot). */
    public NodeStatus status() {
        checkOpen();
        DhtStatus s = await(dht.status(), "the DHT status");
        store.checkAll();
        List<StoredFile> all = store.list();
        int stale = (int) all.stream().filter(StoredFile::stale).count();
        Reachability reachability = reach.status(await(dht.externalAddress(), "the external address"));
        return new NodeStatus(nodeId, dht.localAddress(), server.address(), s.routingContacts(), s.liveContacts(),
                s.holderRecords(), s.manifestRecords(), all.size() - stale, stale, gets.count(), server.bytesServed(),
                reachability);
    }

    /** Live DHT contacts. */
    public CompletableFuture<List<DhtContact>> peers() {
        checkOpen();
        return dht.contacts().thenApply(all -> all.stream().filter(DhtContact::live).toList());
    }

    /**
     * What this node shares (complete files), with the names its kept manifests give them
     * ({@link ManifestChoice}); without any, the file's own name. Every file is checked against
     * its snapshot first, so one changed on disk shows as stale (not served, not announced, until
     * {@link #refresh}).
     */
    public List<SharedFile> shared() {
        checkOpen();
        store.checkAll();
        List<SharedFile> out = new ArrayList<>();
        for (StoredFile f : store.list()) {
            out.add(SharedFile.named(f, manifests, identity.publicKey()));
        }
        return out;
    }

    /**
     * Re-scans every shared file ({@link ShareRefresh}): a changed one is hashed again and shared
     * under its new ID (announced, manifest published), one gone from disk is withdrawn and
     * forgotten, the others are left alone.
     */
    public RefreshReport refresh() throws IOException {
        checkOpen();
        return new ShareRefresh(store, manifests, identity, new ShareRefresh.Network() {
            @Override
            public void publish(Manifest manifest) {
                publisher.publish(manifest);
            }

            @Override
            public void withdraw(ContentId id) {
                publisher.withdrawStale(id);
            }
        }, java.time.Clock.systemUTC()).run();
    }

    /**
     * Shares a folder as a collection: every regular file is stored and signed on its own (so each
     * keeps its own swarm), then the collection document listing them, copied into the store, with
     * a manifest of media type {@link Collection#MEDIA_TYPE}. Returns once everything is hashed;
     * the collection is announced at once, its files one by one after it ({@link PacedAnnouncer}):
     * a getter asks the collection's holders for them too. The result (and its announce) is the
     * collection's.
     *
     * @throws IllegalArgumentException if the folder cannot be a collection (too many entries, a
     *     name a collection path cannot hold), naming why
     */
    public PutResult putFolder(Path folder, PutOptions options) throws IOException {
        checkOpen();
        Set<ContentId> files = new LinkedHashSet<>();
        CollectionBuilder.Shared doc = CollectionBuilder.share(folder, options.name().orElse(null), options.copy(),
                collectionsDirectory(), (file, name, type, copy) -> {
                    CollectionBuilder.Shared s = store(file,
                            new PutOptions(copy, Optional.ofNullable(name), Optional.ofNullable(type)));
                    files.add(s.stored().id());
                    return s;
                });
        files.remove(doc.stored().id());
        manifests.saveTags(doc.stored().id(), options.tags());
        CompletableFuture<Integer> announced = publisher.publish(doc.manifest());
        publisher.republishPaced(List.copyOf(files));
        return new PutResult(doc.stored(), doc.manifest(), announced);
    }

    /** Every content ID this node knows: held complete or in part, or with a kept manifest; sorted. */
    public List<ContentId> knownIds() throws IOException {
        checkOpen();
        TreeSet<ContentId> ids = new TreeSet<>(manifests.ids());
        store.list().forEach(f -> ids.add(f.id()));
        ids.addAll(store.partialDownloads());
        return List.copyOf(ids);
    }

    /**
     * Stops sharing {@code id}; true if it was shared. A referenced file on disk is left alone.
     * Its manifests are forgotten too, and the DHT stops renewing its holder record and manifests,
     * so the copies at other nodes expire after their TTL.
     */
    public boolean remove(ContentId id) throws IOException {
        checkOpen();
        dht.withdraw(id);
        server.withdraw(id);
        boolean removed = store.remove(id);
        manifests.remove(id);
        return removed;
    }

    /**
     * What the network offers, as far as the nodes this one can reach show it: a BEP 51 crawl
     * samples the keys they store ({@link Dht#sampleKeys}), then the manifests of the most
     * reported keys are looked up, at most {@link #BROWSE_PARALLEL_LOOKUPS} at a time, until the
     * options' time is up (the crawl gets 60% of it); what arrived by then is listed
     * ({@link BrowseListing}).
     */
    public BrowseResult browse(BrowseOptions options) throws InterruptedException {
        checkOpen();
        return NodeBrowse.run(dht, options, identity.publicKey(), WAIT_MILLIS);
    }

    /** Who holds {@code id}, according to the DHT. */
    public CompletableFuture<List<InetSocketAddress>> providers(ContentId id) {
        checkOpen();
        return dht.findHolders(id);
    }

    /**
     * Stops everything: cancels the running gets (their verified parts are saved for a later
     * resume), saves the routing contacts, closes the block server, the DHT and the store.
     * Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        gets.cancelAll(WAIT_MILLIS);
        saveContacts();
        executor.shutdownNow();
        downloadDisk.close();
        reach.close();
        server.close();
        dht.close();
        try {
            store.close();
        } catch (IOException e) {
            LOG.warn("closing the store of {} failed: {}", config.dataDir(), e.getMessage());
        }
    }

    /** This node's DHT ID (persisted in the data directory). */
    public NodeId nodeId() {
        return nodeId;
    }

    /** The bound UDP address of the DHT. */
    public InetSocketAddress dhtAddress() {
        return dht.localAddress();
    }

    /**
     * How block transfers are protected: the encryption setting, the TLS identity, and counts of
     * encrypted and clear connections.
     */
    public TransportSecurity transportSecurity() {
        return security;
    }

    /**
     * Runs the code of a get's start once in the background ({@link GetPathWarmUp}), so that the
     * first get of a node that has just joined does not wait for the JVM to load and compile it;
     * returns at once. For a long-running node (`join`), after it is ready.
     */
    public void warmUpGetPathInBackground() {
        GetPathWarmUp.startInBackground(security, nodeId, server.address());
    }

    /** The bound TCP address of the block server; holder records name its port. */
    public InetSocketAddress transferAddress() {
        return server.address();
    }

    // Read-only views for metrics: each reads counters the parts already keep.

    /** The DHT's tables and counters. */
    public CompletableFuture<DhtStatus> dhtStatus() {
        return dht.status();
    }

    /** The DHT's queries in and out by method, and its lookups with their durations. */
    public CompletableFuture<KrpcTraffic.Snapshot> dhtTraffic() {
        return dht.traffic();
    }

    /** The DHT socket's counters; safe from any thread. */
    public UdpCounters socketCounters() {
        return dht.socketCounters();
    }

    /** Bytes of verified spans the block server has sent to other nodes. */
    public long bytesServed() {
        return server.bytesServed();
    }

    /** What {@code id} has uploaded since the node started (nothing when it served no session). */
    public UploadTotals uploadTotals(ContentId id) {
        return server.uploadTotals(id).orElse(UploadTotals.NONE);
    }

    /** Bytes of verified spans the block server has sent to peers of {@code peerClass}. */
    public long bytesServedTo(PeerClass peerClass) {
        return server.bytesServedTo(peerClass);
    }

    /** Spans the block server has sent to other nodes. */
    public long spansServed() {
        return server.spansServed();
    }

    /** The summed length of the files this node's gets have completed since it started. */
    public long bytesFetched() {
        return gets.bytesFetched();
    }

    /** The progress of every get running now. */
    public List<DownloadProgress> downloads() {
        return gets.progress();
    }

    /** The hot-block cache's hits, misses and size. */
    public HotCacheStats cacheStats() {
        return store.cacheStats();
    }

    CompletableFuture<Integer> announce(ContentId id) {
        return publisher.announce(id);
    }

    /** The TCP port holder records name: the block server's, or the router's that maps it. */
    private int announcedTcpPort() {
        return reach.announcedTcpPort();
    }

    private void saveContacts() {
        try {
            List<DhtContact> contacts = dht.contacts().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            if (!contacts.isEmpty()) {
                snapshot.save(contacts);
            }
        } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("saving the routing contacts of {} failed: {}", nodeId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " did not arrive within " + WAIT_MILLIS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("node " + nodeId + " is closed");
        }
    }

    /** Where the documents of collections fetched here are kept (and served from). */
    Path collectionsDirectory() throws IOException {
        return Files.createDirectories(config.dataDir().toAbsolutePath().resolve("collections"));
    }

    byte[] ownKey() {
        return identity.publicKey();
    }

    /** The holders of running gets that cannot be reached, and how to get their connections. */
    RelayedHolders relayedHolders() {
        return relayed;
    }

    /** Whether this node's status says it cannot be reached (so neither can a relayed holder connect to it). */
    boolean unreachable() {
        return unreachable.unreachable();
    }

    UnreachableFlag unreachableFlag() {
        return unreachable;
    }

    Dht dht() {
        return dht;
    }

    BlockStore store() {
        return store;
    }

    BlockServer server() {
        return server;
    }

    LocalManifests manifests() {
        return manifests;
    }

    ScheduledExecutorService executor() {
        return executor;
    }

    DownloadDisk downloadDisk() {
        return downloadDisk;
    }
}
