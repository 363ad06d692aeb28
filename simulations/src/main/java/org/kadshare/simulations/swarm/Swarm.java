package org.kadshare.simulations.swarm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DhtEnvironment.Cancellable;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.download.DownloadCore;
import org.kadshare.overlay.transfer.download.DownloadEnvironment;
import org.kadshare.overlay.transfer.download.DownloadOptions;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.LeafRange;
import org.kadshare.simulations.sim.Scheduler;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * A swarm in virtual time: seeders and getters sharing one file, every getter running the same
 * {@link DownloadCore} a real node runs, through an environment made of this simulation.
 *
 * <p>Design note. The network is a queue per link direction: a holder sends the span requests it
 * got one after the other in arrival order at its upload rate (a request withdrawn before its
 * turn is skipped), a span travels the pair's latency, and is in once the getter's download link
 * has taken it at its download rate; a lost span costs one retransmission timeout. Requests, handshakes, HAVE and leaf hashes take
 * the latency only. A holder serves at most {@code maxUploadsPerHolder} connections and refuses
 * more with BUSY, as a real one does. Finding holders stands in for the DHT: a getter learns up
 * to {@code holdersPerLookup} holders drawn from those announced, when it arrives and again every
 * {@code lookupIntervalMillis} while it downloads, and a getter announces itself as soon as it
 * has verified its first span (so getters serve each other what they have, telling their
 * downloaders with HAVE). Disk writes take no time. One thread, one seeded random source, one
 * scheduler: the same config gives the same run.
 */
public final class Swarm {
    private static final long RETRANSMIT_MILLIS = 200;
    private static final int FRAME_OVERHEAD_BYTES = 64;
    private static final int PORT = 7000;

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
            SwarmPeer seeder = newPeer(config.seederUploadBytesPerSecond(), config.getterDownloadBytesPerSecond());
            seeder.held.set(0, file.leafCount());
            announce(seeder);
        }
        for (int i = 0; i < config.getters(); i++) {
            SwarmPeer getter = newPeer(config.getterUploadBytesPerSecond(), config.getterDownloadBytesPerSecond());
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

    private SwarmPeer newPeer(long upload, long download) {
        int index = peers.size();
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (index >> 16),
                    (byte) (index >> 8), (byte) index}), PORT);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        long latency = config.minLatencyMillis()
                + random.nextLong(config.maxLatencyMillis() - config.minLatencyMillis() + 1);
        SwarmPeer peer = new SwarmPeer(index, address, upload, download, latency);
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

    private long nowNanos() {
        return scheduler.nowMillis() * 1_000_000L;
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
        for (SwarmLink link : List.copyOf(peer.uploads)) {
            link.open = false;
            toCore(link.getter, latencyMillis(peer, link.getter), core -> core.linkClosed(link.peer, "the holder left"));
        }
        peer.uploads.clear();
        if (peer.downloading()) {
            peer.core.cancel();
        }
    }

    /** Runs {@code event} on {@code getter}'s core after {@code delayMillis}, unless its run is over by then. */
    private void toCore(SwarmPeer getter, long delayMillis, java.util.function.Consumer<DownloadCore> event) {
        scheduler.schedule(delayMillis, () -> {
            if (getter.downloading()) {
                event.accept(getter.core);
            }
        });
    }

    void requestSpan(SwarmLink link, long token, int height, long index) {
        SwarmPeer holder = link.holder;
        long latency = latencyMillis(link.getter, holder);
        scheduler.schedule(latency, () -> {
            if (!link.open || holder.gone || link.takeCancelled(token)) {
                return;
            }
            SpanProof proof = file.proof(height, index);
            int first = (int) proof.firstLeaf();
            if (holder.held.nextClearBit(first) < first + proof.leafCount()) {
                toCore(link.getter, latency, core -> core.requestFailed(link.peer, token, false, "NOT_HELD"));
                return;
            }
            holder.sendQueue.addLast(new SwarmPeer.Send(link, token, height, index,
                    proof.spanLengthBytes() + FRAME_OVERHEAD_BYTES));
            pump(holder);
        });
    }

    /**
     * Sends the next span {@code holder} has queued once its upload link is free: requests
     * withdrawn or on closed links meanwhile are skipped, as a real holder drops them.
     */
    private void pump(SwarmPeer holder) {
        while (!holder.sending && !holder.gone && !holder.sendQueue.isEmpty()) {
            SwarmPeer.Send next = holder.sendQueue.pollFirst();
            SwarmLink link = next.link();
            if (!link.open || link.takeCancelled(next.token())) {
                continue;
            }
            holder.sending = true;
            long sentAt = Math.max(nowNanos(), holder.uploadFreeAtNanos)
                    + next.bytes() * 1_000_000_000L / holder.uploadBytesPerSecond;
            holder.uploadFreeAtNanos = sentAt;
            holder.bytesUploaded += next.bytes();
            scheduler.scheduleAt(ceilMillis(sentAt), () -> {
                holder.sending = false;
                arrive(next);
                pump(holder);
            });
        }
    }

    /** A span is off the holder's link: it reaches the getter after the latency and its download link. */
    private void arrive(SwarmPeer.Send sent) {
        SwarmLink link = sent.link();
        SwarmPeer getter = link.getter;
        long in = nowNanos() + latencyMillis(link.holder, getter) * 1_000_000L;
        in = Math.max(in, getter.downloadFreeAtNanos + sent.bytes() * 1_000_000_000L / getter.downloadBytesPerSecond);
        getter.downloadFreeAtNanos = in;
        if (random.nextDouble() < config.lossRate()) {
            in += RETRANSMIT_MILLIS * 1_000_000L;
        }
        scheduler.scheduleAt(ceilMillis(in), () -> {
            getter.bytesReceived += sent.bytes();
            if (link.open && !link.takeCancelled(sent.token()) && getter.downloading()) {
                getter.core.spanArrived(link.peer, sent.token(), file.span(sent.height(), sent.index()));
            }
        });
    }

    private long ceilMillis(long nanos) {
        return Math.max(scheduler.nowMillis(), (nanos + 999_999) / 1_000_000L);
    }

    void requestHashes(SwarmLink link, long token, int height, long index) {
        long latency = latencyMillis(link.getter, link.holder);
        scheduler.schedule(latency, () -> {
            if (link.open && !link.holder.gone && !link.takeCancelled(token)) {
                toCore(link.getter, latency, core -> core.hashesArrived(link.peer, token, file.hashes(height, index)));
            }
        });
    }

    /** The getter closed {@code link}: the holder's upload slot is free. */
    void close(SwarmLink link) {
        if (link.open) {
            link.open = false;
            link.holder.uploads.remove(link);
        }
    }

    private void connect(SwarmPeer getter, int peer, InetSocketAddress address) {
        SwarmPeer holder = peerAt(address);
        long rtt = 2 * latencyMillis(getter, holder);
        scheduler.schedule(rtt, () -> {
            if (!getter.downloading()) {
                return;
            }
            if (holder.gone) {
                getter.core.linkFailed(peer, "connection refused");
            } else if (holder.uploads.size() >= config.maxUploadsPerHolder()) {
                getter.core.linkBusy(peer);
            } else {
                SwarmLink link = new SwarmLink(this, getter, holder, peer);
                holder.uploads.add(link);
                getter.core.linkUp(peer, link);
            }
        });
    }

    /** {@code getter} verified leaves {@code [first, first + count)}: it serves them and tells its downloaders. */
    private void gained(SwarmPeer getter, int first, int count) {
        getter.held.set(first, first + count);
        announce(getter);
        Have have = new Have(List.of(new LeafRange(first, count)));
        for (SwarmLink link : getter.uploads) {
            toCore(link.getter, latencyMillis(getter, link.getter), core -> {
                if (link.open) {
                    core.have(link.peer, have);
                }
            });
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
            Swarm.this.connect(getter, peer, address);
        }

        @Override
        public void startPartial(long lengthBytes, byte[] leafHashes) {
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
