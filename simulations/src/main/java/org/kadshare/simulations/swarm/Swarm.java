package org.kadshare.simulations.swarm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DhtEnvironment.Cancellable;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.download.DownloadCore;
import org.kadshare.overlay.transfer.download.DownloadEnvironment;
import org.kadshare.overlay.transfer.download.DownloadOptions;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.server.PendingRequest;
import org.kadshare.overlay.transfer.server.ServerConfig;
import org.kadshare.overlay.transfer.server.UploadCore;
import org.kadshare.overlay.transfer.server.UploadScheduler;
import org.kadshare.overlay.transfer.wire.Choke;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.LeafRange;
import org.kadshare.overlay.transfer.wire.Unchoke;
import org.kadshare.simulations.sim.Scheduler;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * A swarm in virtual time: seeders, other holders and getters sharing one file, every getter
 * running the same {@link DownloadCore} a real node runs, and every holder the block server's
 * {@link UploadCore} per connection and {@link UploadScheduler} (upload slots, fair turns, the
 * progress limits), through environments made of this simulation.
 *
 * <p>Design note. The network: a node's upload link is shared by the replies on it at once
 * ({@link Uplink}, as TCP shares it), a reply travels the pair's latency, and is in once the
 * getter's download link has taken it at its download rate; a lost span costs one
 * retransmission timeout. Every other frame (handshakes, requests, CANCEL, CHOKE, HAVE, errors)
 * takes the latency only. A holder accepts at most {@code maxUploadsPerHolder} connections and
 * refuses more with BUSY, as the block server's admission does; its sessions get a tick with the
 * transport's state every second, as the server's sweep gives them. A getter gives up a
 * connection whose holder sends no HANDSHAKE within the download's connect timeout, as the real
 * client does. Finding holders stands in for the DHT: a getter learns up to
 * {@code holdersPerLookup} holders drawn from those announced, when it arrives and again every
 * {@code lookupIntervalMillis} while it downloads, and a getter announces itself as soon as it
 * has verified its first span (so getters serve each other what they have, telling their
 * downloaders with HAVE). Faulty holders ({@link HolderSpec.Fault}) fall silent at a given step
 * or answer BUSY. Disk reads and writes take no time. One thread, one seeded random source, one
 * scheduler: the same config gives the same run.
 */
public final class Swarm {
    private static final long RETRANSMIT_MILLIS = 200;
    private static final int FRAME_OVERHEAD_BYTES = 64;
    private static final int PORT = 7000;
    private static final long TICK_MILLIS = 1_000;
    /** The block server's settings every simulated holder runs with. */
    static final ServerConfig SERVER = ServerConfig.defaults();
    static final NodeId HOLDER_ID = NodeId.of(new byte[20]);

    private final SwarmConfig config;
    private final Scheduler scheduler;
    private final SplittableRandom random;
    private final SwarmFile file;
    private final DownloadOptions options;
    private final List<SwarmPeer> peers = new ArrayList<>();
    /** Holders announced and not gone, in the order they announced. */
    private final List<SwarmPeer> directory = new ArrayList<>();
    private int ended;

    private Swarm(SwarmConfig config) {
        this.config = config;
        this.scheduler = new Scheduler("swarm seed=" + config.seed());
        this.random = new SplittableRandom(config.seed());
        this.file = new SwarmFile(config.fileBytes(), config.seed());
        this.options = DownloadOptions.defaults(NodeId.of(new byte[20]));
    }

    /** Runs the swarm {@code config} describes to its end (every getter done, or the time limit). */
    public static SwarmReport run(SwarmConfig config) {
        return new Swarm(config).run();
    }

    private SwarmReport run() {
        for (int i = 0; i < config.seeders(); i++) {
            SwarmPeer seeder = newPeer(false, config.seederUploadBytesPerSecond(), config.getterDownloadBytesPerSecond(),
                    drawLatency(), HolderSpec.Fault.NONE);
            seeder.held.set(0, file.leafCount());
            announce(seeder);
        }
        for (HolderSpec spec : config.holders()) {
            SwarmPeer holder = newPeer(false, spec.uploadBytesPerSecond(), config.getterDownloadBytesPerSecond(),
                    spec.latencyMillis(), spec.fault());
            holder.held.set(0, file.leafCount());
            announce(holder);
            if (spec.leavesAtMillis() >= 0) {
                scheduler.schedule(spec.leavesAtMillis(), () -> leave(holder));
            }
        }
        for (int i = 0; i < config.getters(); i++) {
            SwarmPeer getter = newPeer(true, config.getterUploadBytesPerSecond(), config.getterDownloadBytesPerSecond(),
                    drawLatency(), HolderSpec.Fault.NONE);
            scheduler.schedule(random.nextLong(config.arrivalWindowMillis()), () -> arrive(getter));
        }
        if (config.seederLeavesAtMillis() >= 0) {
            scheduler.schedule(config.seederLeavesAtMillis(), () -> peers.subList(0, config.seeders()).forEach(this::leave));
        }
        while (ended < config.getters() && scheduler.nowMillis() < config.timeLimitMillis()) {
            scheduler.runFor(1_000);
        }
        return SwarmReport.of(config, file.lengthBytes(), peers, scheduler.nowMillis(), scheduler.executedEvents());
    }

    SwarmFile file() {
        return file;
    }

    private long drawLatency() {
        return config.minLatencyMillis() + random.nextLong(config.maxLatencyMillis() - config.minLatencyMillis() + 1);
    }

    private SwarmPeer newPeer(boolean getter, long upload, long download, long latency, HolderSpec.Fault fault) {
        int index = peers.size();
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (index >> 16),
                    (byte) (index >> 8), (byte) index}), PORT);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        UploadScheduler slots = new UploadScheduler(SERVER.uploadSlots(), SERVER.slotLingerMillis(), 0, this::nowNanos,
                (delayNanos, task) -> scheduler.schedule((delayNanos + 999_999) / 1_000_000, task));
        SwarmPeer peer = new SwarmPeer(index, address, getter, upload, download, latency, fault,
                new Uplink(scheduler, upload), slots);
        peers.add(peer);
        return peer;
    }

    private SwarmPeer peerAt(InetSocketAddress address) {
        byte[] ip = address.getAddress().getAddress();
        return peers.get(((ip[1] & 0xff) << 16) | ((ip[2] & 0xff) << 8) | (ip[3] & 0xff));
    }

    long latencyMillis(SwarmPeer a, SwarmPeer b) {
        return (a.latencyMillis + b.latencyMillis) / 2;
    }

    /** Virtual time in nanoseconds, from 1 s on (the cores' clocks are positive). */
    long nowNanos() {
        return (scheduler.nowMillis() + 1_000) * 1_000_000L;
    }

    private void announce(SwarmPeer peer) {
        if (!peer.announced && !peer.gone) {
            peer.announced = true;
            directory.add(peer);
        }
    }

    /** Up to {@code holdersPerLookup} announced holders other than {@code getter}, drawn at random. */
    private List<InetSocketAddress> lookup(SwarmPeer getter) {
        List<SwarmPeer> pool = new ArrayList<>(directory);
        pool.remove(getter);
        List<InetSocketAddress> found = new ArrayList<>();
        for (int i = 0; i < config.holdersPerLookup() && !pool.isEmpty(); i++) {
            int pick = random.nextInt(pool.size());
            found.add(pool.get(pick).address);
            pool.set(pick, pool.get(pool.size() - 1));
            pool.remove(pool.size() - 1);
        }
        return found;
    }

    private void arrive(SwarmPeer getter) {
        getter.arrivedAtMillis = scheduler.nowMillis();
        getter.core = new DownloadCore(file.id(), lookup(getter), true, options, new GetterEnvironment(getter));
        getter.core.begin(null);
        scheduler.schedule(config.lookupIntervalMillis(), () -> lookAgain(getter));
    }

    private void lookAgain(SwarmPeer getter) {
        if (!getter.downloading()) {
            return;
        }
        lookup(getter).forEach(getter.core::addHolder);
        scheduler.schedule(config.lookupIntervalMillis(), () -> lookAgain(getter));
    }

    private void leave(SwarmPeer peer) {
        if (peer.gone) {
            return;
        }
        peer.gone = true;
        directory.remove(peer);
        peer.uplink.clear();
        for (SwarmSession s : List.copyOf(peer.sessions)) {
            SwarmLink link = s.link;
            link.open = false;
            s.closed = true;
            toCore(link.getter, latencyMillis(peer, link.getter), core -> core.linkClosed(link.peer, "the holder left"));
        }
        peer.sessions.clear();
        if (peer.downloading()) {
            peer.core.cancel();
        }
    }

    /** Runs {@code event} on {@code getter}'s core after {@code delayMillis}, unless its run is over by then. */
    private void toCore(SwarmPeer getter, long delayMillis, Consumer<DownloadCore> event) {
        scheduler.schedule(delayMillis, () -> {
            if (getter.downloading()) {
                event.accept(getter.core);
            }
        });
    }

    /** Delivers {@code event} to the holder's session of {@code link} after the latency, if both are still there. */
    void toHolder(SwarmLink link, Consumer<SwarmSession> event) {
        SwarmSession session = link.session;
        scheduler.schedule(latencyMillis(link.getter, link.holder), () -> {
            if (!session.closed && !link.holder.gone && !link.holder.frozen) {
                event.accept(session);
            }
        });
    }

    /** A frame from the holder's session reaches the getter's core after the latency. */
    void toGetter(SwarmLink link, Frame frame) {
        if (link.holder.frozen) {
            return;
        }
        toCore(link.getter, latencyMillis(link.holder, link.getter), core -> {
            if (!link.open) {
                return;
            }
            if (frame instanceof Handshake h) {
                link.handshaken(h);
                core.linkUp(link.peer, link);
            } else if (frame instanceof ErrorFrame e) {
                Long token = link.answered(e.requestId());
                if (token != null) {
                    core.requestFailed(link.peer, token, e.code() == ErrorCode.BUSY, e.code() + ": " + e.reason());
                }
            } else if (frame instanceof Choke) {
                core.choked(link.peer, true);
            } else if (frame instanceof Unchoke) {
                core.choked(link.peer, false);
            } else if (frame instanceof Have have) {
                core.have(link.peer, have);
            }
        });
    }

    private void connect(SwarmPeer getter, int peer, InetSocketAddress address, Handshake ours) {
        SwarmPeer holder = peerAt(address);
        long latency = latencyMillis(getter, holder);
        scheduler.schedule(latency, () -> {
            if (holder.gone) {
                toCore(getter, latency, core -> core.linkFailed(peer, "connection refused"));
            } else if (holder.fault == HolderSpec.Fault.BUSY || holder.sessions.size() >= config.maxUploadsPerHolder()) {
                holder.busyRefusals++;
                toCore(getter, latency, core -> core.linkBusy(peer));
            } else {
                SwarmLink link = new SwarmLink(this, getter, holder, peer);
                SwarmSession session = new SwarmSession(this, link);
                link.session = session;
                holder.sessions.add(session);
                startTicks(holder);
                if (!holder.frozen) {
                    session.core.frameIn(ours);
                }
                toCore(getter, options.connectTimeoutMillis(), core -> {
                    if (link.open && !link.isHandshaken()) {
                        link.open = false;
                        closeSession(session);
                        core.linkFailed(peer, "no handshake from " + address + " within " + options.connectTimeoutMillis()
                                + " ms");
                    }
                });
            }
        });
    }

    /** The server's sweep: every second, each session of {@code holder} judges its transport's progress. */
    private void startTicks(SwarmPeer holder) {
        if (holder.ticking) {
            return;
        }
        holder.ticking = true;
        scheduler.schedule(TICK_MILLIS, () -> tick(holder));
    }

    private void tick(SwarmPeer holder) {
        if (holder.gone || holder.frozen || holder.sessions.isEmpty()) {
            holder.ticking = false;
            return;
        }
        for (SwarmSession s : List.copyOf(holder.sessions)) {
            if (!s.closed) {
                s.core.tick(0, 0, s.pendingWriteBytes());
            }
        }
        scheduler.schedule(TICK_MILLIS, () -> tick(holder));
    }

    /** The session's disk read: at once, from the swarm's file, if the holder has the leaves. */
    void read(SwarmSession session, PendingRequest request) {
        SwarmPeer holder = session.link.holder;
        if (holder.fault == HolderSpec.Fault.SILENT_IN_LEAF_LAYER && !request.wantsData()) {
            holder.frozen = true;
        }
        scheduler.schedule(0, () -> {
            if (session.closed || holder.gone || holder.frozen) {
                return;
            }
            Object reply = request;
            if (request.wantsData()) {
                SpanProof proof = file.proof(request.height(), request.index());
                int first = (int) proof.firstLeaf();
                if (holder.held.nextClearBit(first) < first + proof.leafCount()) {
                    reply = ErrorFrame.request(request.requestId(), ErrorCode.NOT_HELD, "a leaf of the span is not held");
                }
            }
            session.core.replyRead(request, reply);
        });
    }

    /**
     * The session sends {@code reply} (the request it answers, or an ERROR) on the holder's
     * uplink; once off it, the reply travels to the getter.
     */
    void sendReply(SwarmSession session, Object reply) {
        SwarmPeer holder = session.link.holder;
        if (holder.fault == HolderSpec.Fault.SILENT_MID_SPAN && reply instanceof PendingRequest r && r.wantsData()) {
            holder.frozen = true;
        }
        if (holder.frozen) {
            return;
        }
        long bytes = (reply instanceof PendingRequest r ? r.replyBytes() : 0) + FRAME_OVERHEAD_BYTES;
        holder.bytesUploaded += bytes;
        session.sending = holder.uplink.send(bytes, () -> {
            session.sending = null;
            session.core.replyDrained();
            arrive(session.link, reply, bytes);
        });
    }

    /** A reply is off the holder's link: it reaches the getter after the latency and its download link. */
    private void arrive(SwarmLink link, Object reply, long bytes) {
        SwarmPeer getter = link.getter;
        long in = nowNanos() + latencyMillis(link.holder, getter) * 1_000_000L;
        in = Math.max(in, getter.downloadFreeAtNanos + bytes * 1_000_000_000L / getter.downloadBytesPerSecond);
        getter.downloadFreeAtNanos = in;
        if (random.nextDouble() < config.lossRate()) {
            in += RETRANSMIT_MILLIS * 1_000_000L;
        }
        scheduler.scheduleAt(ceilMillis(in), () -> {
            getter.bytesReceived += bytes;
            if (!link.open || !getter.downloading()) {
                return;
            }
            if (reply instanceof ErrorFrame e) {
                Long token = link.answered(e.requestId());
                if (token != null) {
                    getter.core.requestFailed(link.peer, token, e.code() == ErrorCode.BUSY, e.code() + ": " + e.reason());
                }
                return;
            }
            PendingRequest r = (PendingRequest) reply;
            Long token = link.answered(r.requestId());
            if (token == null) {
                return;
            }
            if (r.wantsData()) {
                getter.core.spanArrived(link.peer, token, file.span(r.height(), r.index()));
            } else {
                getter.core.hashesArrived(link.peer, token, file.hashes(r.height(), r.index()));
            }
        });
    }

    private long ceilMillis(long nanos) {
        long millis = (nanos + 999_999) / 1_000_000L - 1_000;
        return Math.max(scheduler.nowMillis(), millis);
    }

    /** The getter closed {@code link}: the holder learns it after the latency, and the session's slot is freed. */
    void closeFromGetter(SwarmLink link) {
        if (!link.open) {
            return;
        }
        link.open = false;
        SwarmSession session = link.session;
        scheduler.schedule(latencyMillis(link.getter, link.holder), () -> closeSession(session));
    }

    /** The holder's session closed the connection: the getter learns why after the latency. */
    void closeFromHolder(SwarmSession session, String reason) {
        SwarmLink link = session.link;
        scheduler.schedule(0, () -> closeSession(session));
        if (!link.open) {
            return;
        }
        link.open = false;
        toCore(link.getter, latencyMillis(link.holder, link.getter), core -> core.linkClosed(link.peer, reason));
    }

    private void closeSession(SwarmSession session) {
        if (session.closed) {
            return;
        }
        session.closed = true;
        session.link.holder.sessions.remove(session);
        session.core.closed();
    }

    /** {@code getter} verified leaves {@code [first, first + count)}: it serves them and tells its downloaders. */
    private void gained(SwarmPeer getter, int first, int count) {
        getter.held.set(first, first + count);
        announce(getter);
        Have have = new Have(List.of(new LeafRange(first, count)));
        for (SwarmSession s : getter.sessions) {
            s.core.have(file.id(), have);
        }
    }

    private long bytesHeld(SwarmPeer peer) {
        long bytes = (long) peer.held.cardinality() * MerkleTree.LEAF_SIZE_BYTES;
        int last = file.leafCount() - 1;
        if (peer.held.get(last)) {
            bytes -= (long) last * MerkleTree.LEAF_SIZE_BYTES + MerkleTree.LEAF_SIZE_BYTES - file.lengthBytes();
        }
        return bytes;
    }

    /** The world one getter's core acts on. */
    private final class GetterEnvironment implements DownloadEnvironment {
        private final SwarmPeer getter;

        GetterEnvironment(SwarmPeer getter) {
            this.getter = getter;
        }

        @Override
        public long nowNanos() {
            return Swarm.this.nowNanos();
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            return scheduler.schedule(delayMillis, () -> {
                if (getter.downloading()) {
                    task.run();
                }
            });
        }

        @Override
        public void connect(int peer, InetSocketAddress address, Handshake ours) {
            Swarm.this.connect(getter, peer, address, ours);
        }

        @Override
        public void startPartial(long lengthBytes, byte[] leafHashes) {
            toCore(getter, 0, DownloadCore::partialStarted);
        }

        @Override
        public void writeSpan(long requestId, int height, long index, ByteBuffer data) {
            SpanProof proof = file.proof(height, index);
            toCore(getter, 0, core -> {
                gained(getter, (int) proof.firstLeaf(), (int) proof.leafCount());
                core.spanWritten(requestId, bytesHeld(getter));
            });
        }

        @Override
        public void complete() {
            toCore(getter, 0, DownloadCore::completed);
        }

        @Override
        public void closePartial() {
            toCore(getter, 0, DownloadCore::partialClosed);
        }

        @Override
        public void progressed(DownloadProgress progress) {
        }

        @Override
        public void ended(Exception error) {
            getter.doneAtMillis = scheduler.nowMillis();
            getter.failure = error;
            ended++;
            if (config.getterStaysMillis() >= 0) {
                scheduler.schedule(config.getterStaysMillis(), () -> leave(getter));
            }
        }
    }
}
