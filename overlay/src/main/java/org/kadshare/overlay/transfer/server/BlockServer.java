package org.kadshare.overlay.transfer.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.PeerClass;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.overlay.transfer.wire.FrameDecoder;
import org.kadshare.overlay.transfer.wire.FrameEncoder;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.LeafRange;
import org.kadshare.overlay.transfer.wire.ReverseHello;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentChangedException;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.StoredFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving side of block transfer: a TCP listener that answers GET_SPAN and GET_HASHES for the
 * complete files of a {@link BlockStore} and for the partial downloads {@linkplain #offer offered}
 * to it (only the leaves they hold), as docs/PROTOCOL.md section 5 specifies. Upload slots, the
 * upload rate and per-peer limits come from {@link ServerConfig}.
 *
 * <p>Design note. All connections share one event-loop thread, so the upload scheduler (slots,
 * fair turns, token bucket) needs no locks; disk reads, which hash every leaf and may block, run
 * on a small pool of {@code diskThreads} with a bounded queue (at most one read per upload slot is
 * ever in flight). Nothing a peer controls grows without bound: connections in total and per IP
 * ({@link Admission}, checked when a connection is accepted); requests per peer; upload slots,
 * shared fairly across IPs ({@link UploadScheduler}); bytes buffered per connection (one frame
 * in, one reply out; reading stops while the channel is not writable) and in total (large frames
 * reserve their length from a {@link BufferBudget} before their bytes are buffered); and time: a
 * sweep about once a second closes connections {@link ProgressRule} finds without progress (no
 * handshake in time, a frame or reply moving slower than the minimum rate, idle). A connection
 * runs inside TLS or in clear as its {@link TransportSecurity} decides from the peer's first
 * byte; the limits above apply to both, and a TLS handshake counts against the handshake limit.
 */
public final class BlockServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockServer.class);
    private static final long CLOSE_TIMEOUT_MILLIS = 5_000;

    private final BlockStore store;
    private final NodeId nodeId;
    private final ServerConfig config;
    private final TransportSecurity security;
    private final NioEventLoopGroup group;
    private final ThreadPoolExecutor diskExecutor;
    private final LongSupplier nanoClock = System::nanoTime;
    private final Admission admission;
    private final BufferBudget budget;
    private final Map<ContentId, PartialDownload> partials = new ConcurrentHashMap<>();
    private final Set<ServerConnection> connections = new LinkedHashSet<>();
    private final LongAdder spansServed = new LongAdder();
    private final LongAdder bytesServed = new LongAdder();
    private final LongAdder spansServedFromFile = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final UploadScheduler scheduler;
    private final UploadLedger uploads = new UploadLedger();
    private final ReverseWaits reverseWaits = new ReverseWaits();
    private final LongAdder reverseAccepted = new LongAdder();
    private final LongAdder reverseDialed = new LongAdder();
    /** The send buffer every connection asks for ({@link UploadSendBuffer}); null: left to autotuning. */
    private final Integer sendBufferAsk;
    private Channel serverChannel;

    private BlockServer(BlockStore store, NodeId nodeId, ServerConfig config, TransportSecurity security,
            OptionalInt sendBufferAsk) {
        this.store = store;
        this.sendBufferAsk = sendBufferAsk.isPresent() ? sendBufferAsk.getAsInt() : null;
        this.security = security;
        this.nodeId = nodeId;
        this.config = config;
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("block-server", true));
        this.diskExecutor = new ThreadPoolExecutor(config.diskThreads(), config.diskThreads(), 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.uploadSlots() + 1), new DefaultThreadFactory("block-server-disk", true));
        EventLoop loop = group.next();
        this.scheduler = new UploadScheduler(config.uploadSlots(), config.slotLingerMillis(),
                config.uploadBytesPerSecond(), nanoClock, (delayNanos, task) -> loop.schedule(task, delayNanos,
                        TimeUnit.NANOSECONDS));
        this.admission = new Admission(config.maxConnections(), config.maxConnectionsPerIp());
        this.budget = new BufferBudget(config.maxBufferedBytes());
    }

    /**
     * Starts serving {@code store} as node {@code nodeId}, listening on the configured address.
     *
     * @throws IOException if the address cannot be bound
     */
    public static BlockServer start(BlockStore store, NodeId nodeId, ServerConfig config) throws IOException {
        return start(store, nodeId, config, TransportSecurity.clear());
    }

    /**
     * Starts serving {@code store} as node {@code nodeId}, listening on the configured address,
     * accepting encrypted or clear connections as {@code security} says.
     *
     * @throws IOException if the address cannot be bound
     */
    public static BlockServer start(BlockStore store, NodeId nodeId, ServerConfig config, TransportSecurity security)
            throws IOException {
        OptionalInt ask = UploadSendBuffer.fromKernel();
        if (ask.isPresent()) {
            LOG.debug("Block connections ask for a send buffer of {} bytes (net.core.wmem_max)", ask.getAsInt());
        } else {
            LOG.debug("Block connections' send buffers are left to the kernel's autotuning");
        }
        return start(store, nodeId, config, security, ask);
    }

    /** {@link #start} with the send buffer every connection asks for ({@link UploadSendBuffer}). */
    static BlockServer start(BlockStore store, NodeId nodeId, ServerConfig config, TransportSecurity security,
            OptionalInt sendBufferAsk) throws IOException {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(security, "security");
        BlockServer server = new BlockServer(store, nodeId, config, security, sendBufferAsk);
        try {
            server.bind();
            return server;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void bind() throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childOption(ChannelOption.SO_SNDBUF, sendBufferAsk)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        FrameDecoder decoder = new FrameDecoder(budget, BlockServer.this::nanoTime);
                        ch.pipeline().addLast(decoder, new FrameEncoder(),
                                new ServerConnection(BlockServer.this, decoder));
                        security.initServerChannel(ch, config.handshakeTimeoutMillis());
                        ch.pipeline().addFirst(new ReverseAccept(reverseWaits, reverseAccepted::increment));
                    }
                });
        try {
            serverChannel = bootstrap.bind(config.bindAddress()).sync().channel();
            long every = sweepMillis(config);
            scheduledLoop().scheduleAtFixedRate(this::sweep, every, every, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding " + config.bindAddress(), e);
        } catch (Exception e) {
            throw new IOException("cannot listen on " + config.bindAddress() + ": " + e.getMessage(), e);
        }
    }

    /** The address the server listens on (with the actual port when port 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Serves the leaves {@code partial} holds, until {@link #withdraw}. */
    public void offer(PartialDownload partial) {
        partials.put(partial.id(), partial);
    }

    /** Stops serving the partial download of {@code id} (connections already open keep it). */
    public void withdraw(ContentId id) {
        partials.remove(id);
    }

    /**
     * Tells every peer connected about {@code id} that this node gained leaves
     * {@code [firstLeaf, firstLeaf + count)} (a HAVE frame).
     */
    public void announceHave(ContentId id, long firstLeaf, long count) {
        Have have = new Have(List.of(new LeafRange(firstLeaf, count)));
        scheduledLoop().execute(() -> {
            for (ServerConnection c : List.copyOf(connections)) {
                c.sendHave(id, have);
            }
        });
    }

    /**
     * Waits for the reverse connection of a holder that names {@code cookie} in its reverse hello
     * (the getter's side of a reverse connection; at most {@code timeoutMillis}): completes with
     * the connection, taken out of this server and deregistered from its loop, for the caller to
     * register on its own and run the block protocol's client side on.
     */
    public CompletableFuture<Channel> awaitReverse(byte[] cookie, long timeoutMillis) {
        return reverseWaits.await(cookie, timeoutMillis);
    }

    /**
     * The holder's side of a reverse connection: opens a TCP connection to {@code getter}, sends the
     * reverse hello with {@code cookie}, and serves it from then on as an accepted connection (same
     * limits, same encryption decision by the getter's first byte). Returns at once.
     */
    public void dialOut(InetSocketAddress getter, byte[] cookie) {
        byte[] hello = ReverseHello.encode(cookie);
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                        config.handshakeTimeoutMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .option(ChannelOption.SO_SNDBUF, sendBufferAsk)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        FrameDecoder decoder = new FrameDecoder(budget, BlockServer.this::nanoTime);
                        ch.pipeline().addLast(new ReverseDial(hello), decoder, new FrameEncoder(),
                                new ServerConnection(BlockServer.this, decoder));
                        security.initServerChannel(ch, config.handshakeTimeoutMillis());
                    }
                })
                .connect(getter).addListener(f -> {
                    if (f.isSuccess()) {
                        reverseDialed.increment();
                    } else {
                        LOG.debug("The reverse connection to getter {} failed: {}", getter, f.cause().toString());
                    }
                });
    }

    /** Reverse connections this node opened to getters (as a holder that cannot be reached). */
    public long reverseConnectionsOpened() {
        return reverseDialed.sum();
    }

    /** Reverse connections of holders accepted here and handed to a download. */
    public long reverseConnectionsAccepted() {
        return reverseAccepted.sum();
    }

    /** SPAN frames handed to peer connections so far. */
    public long spansServed() {
        return spansServed.sum();
    }

    /** SPAN frames whose data went from the file to the socket without being read (trusted leaves). */
    public long spansServedFromFile() {
        return spansServedFromFile.sum();
    }

    /** Bytes of span data handed to peer connections so far. */
    public long bytesServed() {
        return bytesServed.sum();
    }

    /** The uploads in progress (peer sessions with an accepted HANDSHAKE), oldest first; safe from any thread. */
    public List<UploadSnapshot> uploads() {
        return uploads.open(nanoClock.getAsLong());
    }

    /** What {@code id} has uploaded since this server started, if it served any session. */
    public Optional<UploadTotals> uploadTotals(ContentId id) {
        return uploads.totals(id);
    }

    /** Bytes of span data served to peers of {@code peerClass}. */
    public long bytesServedTo(PeerClass peerClass) {
        return uploads.bytesTo(peerClass);
    }

    /** Stops listening, closes every connection and the disk threads; waits a bounded time. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
        }
        group.shutdownGracefully(0, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
        diskExecutor.shutdownNow();
        try {
            if (!diskExecutor.awaitTermination(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("Disk threads of the block server did not stop within {} ms", CLOSE_TIMEOUT_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    HeldContent find(ContentId id) throws ContentChangedException {
        PartialDownload partial = partials.get(id);
        if (partial != null) {
            return new PartialContent(partial);
        }
        StoredFile file = store.get(id).orElseThrow(() -> new NoSuchElementException("not held: " + id));
        if (file.stale()) {
            throw new ContentChangedException(id, file.dataPath(), "it was found changed");
        }
        return new StoredContent(store, file);
    }

    /** Admits {@code c} and returns null, or returns why it is refused. */
    String register(ServerConnection c) {
        String refused = admission.admit(c.remoteIp());
        if (refused == null) {
            connections.add(c);
        }
        return refused;
    }

    void unregister(ServerConnection c) {
        connections.remove(c);
        admission.release(c.remoteIp());
    }

    /** How often the sweep runs: about once a second, often enough for the shortest limit. */
    private static long sweepMillis(ServerConfig config) {
        long shortest = Math.min(config.handshakeTimeoutMillis(),
                Math.min(config.progressGraceMillis(), config.idleTimeoutMillis()));
        return Math.max(10, Math.min(1_000, shortest / 4));
    }

    private void sweep() {
        for (ServerConnection c : List.copyOf(connections)) {
            c.checkProgress();
        }
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    /** Bytes of large incoming frames buffered now, over all connections. */
    long bufferedBytes() {
        return budget.reservedBytes();
    }

    /** Connections open now. */
    int connectionCount() {
        return admission.total();
    }

    /** The send buffer of each connection open now, as the JDK reports it (half what Linux holds). */
    List<Integer> connectionSendBuffers() throws Exception {
        return scheduledLoop().submit(() -> connections.stream()
                .map(c -> c.channel().config().getOption(ChannelOption.SO_SNDBUF)).toList()).get(5, TimeUnit.SECONDS);
    }

    void countServed(UploadSession session, long dataBytes, boolean fromFile) {
        uploads.served(session, dataBytes);
        if (fromFile) {
            spansServedFromFile.increment();
        }
        spansServed.increment();
        bytesServed.add(dataBytes);
    }

    UploadLedger uploadLedger() {
        return uploads;
    }

    private EventLoop scheduledLoop() {
        return group.next();
    }

    UploadScheduler scheduler() {
        return scheduler;
    }

    ExecutorService diskExecutor() {
        return diskExecutor;
    }

    NodeId nodeId() {
        return nodeId;
    }

    ServerConfig config() {
        return config;
    }
}
