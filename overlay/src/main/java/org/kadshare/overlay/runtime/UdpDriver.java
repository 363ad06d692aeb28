package org.kadshare.overlay.runtime;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.kadshare.overlay.dht.DhtEnvironment;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real-network driver of a sans-IO core: one UDP socket and one event-loop thread.
 *
 * <p>Design note. The core is built by a factory on the loop thread once the socket is bound, and
 * every call into it (inbound datagrams, timers, {@link #execute}/{@link #submit}) runs on that
 * same thread, so the core needs no locks. Reading starts only after the core exists, so no
 * datagram arrives before it. Nothing here queues without bound: a datagram larger than the limit
 * is dropped on the way in (the receive buffer is one byte larger than the limit, so truncation
 * shows), and a send while the channel's outbound buffer is above its high-water mark is dropped
 * and counted, as UDP allows. The driver may read clocks and entropy; the core may not, and gets
 * them only through this {@link DhtEnvironment}.
 */
public final class UdpDriver implements DhtEnvironment, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpDriver.class);

    /** How long {@link #start} waits for the core to be built, and {@link #close} for the loop. */
    static final long LIFECYCLE_TIMEOUT_MILLIS = 5_000;
    /**
     * The socket's receive buffer asked for: replies to a node's parallel lookups arrive in bursts,
     * and the system's default (about 200 KiB, some 150 small datagrams) drops the end of a burst
     * whenever the loop is late. The system caps it at {@code net.core.rmem_max}.
     */
    static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;
    /** How often {@link #probeUdp} sends its datagram at most, spread over its wait. */
    static final int PROBE_SENDS = 3;
    private static final int WRITE_LOW_WATER_MARK_BYTES = 256 * 1024;
    private static final int WRITE_HIGH_WATER_MARK_BYTES = 1024 * 1024;

    private final NioEventLoopGroup group;
    private final EventLoop loop;
    private final Channel channel;
    private final int maxDatagramBytes;
    private final RandomGenerator random;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final LongAdder received = new LongAdder();
    private final LongAdder droppedOversize = new LongAdder();
    private final LongAdder receiverFailures = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder sendFailures = new LongAdder();
    private final LongAdder taskFailures = new LongAdder();
    private final LongAdder channelErrors = new LongAdder();

    private UdpDriver(NioEventLoopGroup group, Channel channel, int maxDatagramBytes) {
        this.group = group;
        this.loop = channel.eventLoop();
        this.channel = channel;
        this.maxDatagramBytes = maxDatagramBytes;
        this.random = new SplittableRandom(new SecureRandom().nextLong());
    }

    /**
     * Binds {@code bind} (port 0 picks a free port) with the KRPC datagram limit
     * ({@link KrpcCodec#MAX_DATAGRAM_BYTES}) and builds the core with {@code coreFactory}.
     *
     * @throws BindException if the address cannot be bound (in use, not local); the message names it
     */
    public static UdpDriver start(InetSocketAddress bind,
            Function<DhtEnvironment, DatagramReceiver> coreFactory) throws IOException {
        return start(bind, KrpcCodec.MAX_DATAGRAM_BYTES, coreFactory);
    }

    /**
     * Binds {@code bind} (port 0 picks a free port), then builds the core on the loop thread with
     * {@code coreFactory}, which receives this driver as its environment, and starts reading.
     * Inbound datagrams over {@code maxDatagramBytes} are dropped; so are outbound ones, loudly.
     *
     * @throws BindException if the address cannot be bound (in use, not local); the message names it
     */
    public static UdpDriver start(InetSocketAddress bind, int maxDatagramBytes,
            Function<DhtEnvironment, DatagramReceiver> coreFactory) throws IOException {
        if (bind == null || coreFactory == null) {
            throw new IllegalArgumentException("bind address and core factory are required, got "
                    + bind + " and " + coreFactory);
        }
        if (maxDatagramBytes < 1 || maxDatagramBytes > 65_507) {
            throw new IllegalArgumentException(
                    "max datagram size must be 1..65507 bytes, got " + maxDatagramBytes);
        }
        NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("kadshare-udp", true));
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(NioDatagramChannel.class)
                    .option(ChannelOption.AUTO_READ, false)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramBytes + 1))
                    .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                    .option(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(WRITE_LOW_WATER_MARK_BYTES, WRITE_HIGH_WATER_MARK_BYTES))
                    .handler(new ChannelInitializer<DatagramChannel>() {
                        @Override
                        protected void initChannel(DatagramChannel ch) {
                        }
                    });
            ChannelFuture bound = bootstrap.bind(bind).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                Throwable cause = bound.cause();
                BindException e = new BindException("cannot bind UDP socket to " + bind + ": "
                        + (cause == null ? "unknown reason" : cause.getMessage()));
                e.initCause(cause);
                throw e;
            }
            UdpDriver driver = new UdpDriver(group, bound.channel(), maxDatagramBytes);
            driver.startCore(coreFactory);
            return driver;
        } catch (IOException | RuntimeException | Error e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS)
                    .awaitUninterruptibly(LIFECYCLE_TIMEOUT_MILLIS);
            throw e;
        }
    }

    private void startCore(Function<DhtEnvironment, DatagramReceiver> coreFactory) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                DatagramReceiver core = coreFactory.apply(this);
                if (core == null) {
                    throw new IllegalStateException("core factory returned null");
                }
                channel.pipeline().addLast(new DatagramHandler(core, maxDatagramBytes, received,
                        droppedOversize, receiverFailures, channelErrors));
                channel.config().setAutoRead(true);
                ready.complete(null);
            } catch (Throwable t) {
                ready.completeExceptionally(t);
            }
        });
        try {
            ready.get(LIFECYCLE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            channel.close().awaitUninterruptibly(LIFECYCLE_TIMEOUT_MILLIS);
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("core factory failed on " + localAddress(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new IllegalStateException("interrupted while building the core", e);
        } catch (TimeoutException e) {
            channel.close();
            throw new IllegalStateException("core factory did not finish within "
                    + LIFECYCLE_TIMEOUT_MILLIS + " ms", e);
        }
    }

    /** The socket's receive buffer as the system granted it ({@link #RECEIVE_BUFFER_BYTES} asked). */
    int receiveBufferBytes() {
        return ((DatagramChannel) channel).config().getReceiveBufferSize();
    }

    /** The address the socket is bound to, with the real port when 0 was asked for. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * The bound address when the socket is bound to one; on a wildcard socket, the source address
     * the kernel's routing picks for {@code peer} (a connected, unused UDP socket asks it; no
     * datagram is sent). Null when the route cannot be found.
     */
    @Override
    public InetAddress localAddressToward(InetSocketAddress peer) {
        InetAddress bound = localAddress().getAddress();
        if (!bound.isAnyLocalAddress()) {
            return bound;
        }
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(peer);
            InetAddress local = probe.getLocalAddress();
            return local.isAnyLocalAddress() ? null : local;
        } catch (IOException | RuntimeException e) {
            LOG.debug("no route to {} to learn our address", peer, e);
            return null;
        }
    }

    @Override
    public long nowMillis() {
        return System.nanoTime() / 1_000_000L;
    }

    /**
     * Queues {@code datagram} for sending without blocking; drops and counts it if the driver is
     * closed, the outbound buffer is full or the write fails.
     *
     * @throws IllegalArgumentException if {@code datagram} exceeds the size limit or an argument is
     *                                  null: that is a bug in the caller, not a network condition
     */
    @Override
    public void send(InetSocketAddress to, byte[] datagram) {
        if (to == null || datagram == null) {
            throw new IllegalArgumentException("send needs an address and bytes, got " + to
                    + " and " + (datagram == null ? "null" : datagram.length + " bytes"));
        }
        if (datagram.length > maxDatagramBytes) {
            throw new IllegalArgumentException("datagram to " + to + " is " + datagram.length
                    + " bytes, over the limit of " + maxDatagramBytes);
        }
        if (closed.get() || !channel.isActive() || !channel.isWritable() || to.isUnresolved()) {
            sendFailures.increment();
            return;
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to))
                .addListener(f -> {
                    if (f.isSuccess()) {
                        sent.increment();
                    } else {
                        sendFailures.increment();
                        LOG.debug("UDP send to {} failed", to, f.cause());
                    }
                });
    }

    /**
     * Opens a TCP connection to {@code to} from the loop (non-blocking, bounded by
     * {@code timeoutMillis}), closes it once open, and reports on the loop thread whether it opened.
     */
    @Override
    public void probeTcp(InetSocketAddress to, long timeoutMillis, Consumer<Boolean> onResult) {
        if (closed.get()) {
            return;
        }
        try {
            new Bootstrap().group(loop).channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(to).addListener((ChannelFuture f) -> {
                        if (f.isSuccess()) {
                            f.channel().close();
                        }
                        loop.execute(guarded(() -> onResult.accept(f.isSuccess())));
                    });
        } catch (RuntimeException e) {
            LOG.debug("connect_back probe to {} failed to start", to, e);
            loop.execute(guarded(() -> onResult.accept(false)));
        }
    }

    /**
     * Sends {@code datagram} to {@code to} from a UDP socket of its own on the DHT's address (an
     * ephemeral port, not the DHT's), takes the first datagram from {@code to} within
     * {@code timeoutMillis}, closes the socket, and reports it (or empty) on the loop thread.
     */
    @Override
    public void probeUdp(InetSocketAddress to, byte[] datagram, long timeoutMillis,
            Consumer<java.util.Optional<byte[]>> onAnswer) {
        if (closed.get()) {
            return;
        }
        AtomicBoolean ended = new AtomicBoolean();
        Consumer<java.util.Optional<byte[]>> end = answer -> {
            if (ended.compareAndSet(false, true)) {
                loop.execute(guarded(() -> onAnswer.accept(answer)));
            }
        };
        try {
            ChannelFuture bound = new Bootstrap().group(loop).channel(NioDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxDatagramBytes + 1))
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                            DatagramPacket p = (DatagramPacket) msg;
                            try {
                                if (p.sender().equals(to)) {
                                    byte[] bytes = new byte[p.content().readableBytes()];
                                    p.content().readBytes(bytes);
                                    end.accept(java.util.Optional.of(bytes));
                                    ctx.close();
                                }
                            } finally {
                                p.release();
                            }
                        }
                    })
                    .bind(new InetSocketAddress(localAddress().getAddress(), 0));
            bound.addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    end.accept(java.util.Optional.empty());
                    return;
                }
                Channel probe = f.channel();
                // Sent again twice while no answer came: on a lossy path one lost datagram (the
                // ping or its answer) would otherwise report a reachable port as unreachable.
                for (int i = 0; i < PROBE_SENDS; i++) {
                    probe.eventLoop().schedule(() -> {
                        if (!ended.get()) {
                            probe.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to));
                        }
                    }, i * timeoutMillis / (PROBE_SENDS + 1), TimeUnit.MILLISECONDS);
                }
                probe.eventLoop().schedule(() -> {
                    end.accept(java.util.Optional.empty());
                    probe.close();
                }, timeoutMillis, TimeUnit.MILLISECONDS);
            });
        } catch (RuntimeException e) {
            LOG.debug("connect_back UDP probe to {} failed to start", to, e);
            end.accept(java.util.Optional.empty());
        }
    }

    /** Runs {@code task} on the loop thread after {@code delayMillis}; a no-op handle once closed. */
    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        if (task == null || delayMillis < 0) {
            throw new IllegalArgumentException("schedule needs a task and a delay >= 0, got "
                    + task + " after " + delayMillis + " ms");
        }
        try {
            ScheduledFuture<?> f = loop.schedule(guarded(task), delayMillis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    /**
     * The driver's random source, seeded from {@link SecureRandom}. Not thread-safe: only the
     * loop thread may use it.
     *
     * @throws IllegalStateException if called from another thread
     */
    @Override
    public RandomGenerator random() {
        if (!loop.inEventLoop()) {
            throw new IllegalStateException("random() is for the loop thread only, called from "
                    + Thread.currentThread().getName());
        }
        return random;
    }

    /** Runs {@code task} on the loop thread; what it throws is counted and logged. */
    public void execute(Runnable task) {
        if (task == null) {
            throw new IllegalArgumentException("task is null");
        }
        loop.execute(guarded(task));
    }

    /**
     * Runs {@code call} on the loop thread; the future completes with its result or exception, or
     * fails with {@link RejectedExecutionException} if the driver is closed.
     */
    public <T> CompletableFuture<T> submit(Callable<T> call) {
        if (call == null) {
            throw new IllegalArgumentException("call is null");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    result.complete(call.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Whether the calling thread is the loop thread. */
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    /** Current counters. */
    public UdpCounters counters() {
        return new UdpCounters(received.sum(), droppedOversize.sum(), receiverFailures.sum(),
                sent.sum(), sendFailures.sum(), taskFailures.sum(), channelErrors.sum());
    }

    /**
     * Closes the socket and stops the loop; idempotent. From any thread but the loop's it waits,
     * up to a bounded time, for the loop to terminate, so the port is free when it returns.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channel.close();
        var termination = group.shutdownGracefully(0, LIFECYCLE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (loop.inEventLoop()) {
            return;
        }
        if (!termination.awaitUninterruptibly(LIFECYCLE_TIMEOUT_MILLIS)) {
            LOG.warn("UDP driver on {} did not stop within {} ms", channel.localAddress(),
                    LIFECYCLE_TIMEOUT_MILLIS);
        }
    }

    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                taskFailures.increment();
                LOG.warn("task on the UDP loop threw", e);
            }
        };
    }

    @Override
    public String toString() {
        return "UdpDriver[" + channel.localAddress() + (closed.get() ? ", closed]" : "]");
    }
}
