package org.kadshare.overlay.node;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.kadshare.overlay.dht.DhtEnvironment.Cancellable;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.download.DownloadCore;
import org.kadshare.overlay.transfer.download.DownloadEnvironment;
import org.kadshare.overlay.transfer.download.DownloadOptions;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.download.PeerLink;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * One download of a small file in memory, from one holder that answers at once, through the same
 * {@link DownloadCore} a get runs: its first run in a JVM loads and links the core, the leaf-layer
 * fetch, the schedule and the frames it handles, which on a loaded machine held up a node's first
 * get by 50 to 150 ms between the first holder's handshake and its first leaf-hash request. No
 * socket, no disk, no clock: time stands still, and every outcome is handed back from a queue
 * after the call that caused it, as the real drivers do.
 */
final class DownloadCoreWarmUp implements DownloadEnvironment {
    /** Events handed back at most; the run takes a few dozen. */
    private static final int MAX_EVENTS = 10_000;

    private final MerkleTree tree;
    private final byte[] data;
    private final ArrayDeque<Runnable> outcomes = new ArrayDeque<>();
    private final SplittableRandom random = new SplittableRandom(1);
    private long writtenBytes;
    private DownloadCore core;
    private boolean ok;

    private DownloadCoreWarmUp(MerkleTree tree, byte[] data) {
        this.tree = tree;
        this.data = data;
    }

    /** Downloads {@code data}, whose tree is {@code tree}, in memory; whether the core completed it. */
    static boolean run(NodeId nodeId, MerkleTree tree, byte[] data) {
        DownloadCoreWarmUp env = new DownloadCoreWarmUp(tree, data);
        env.core = new DownloadCore(tree.contentId(), List.of(new InetSocketAddress("127.0.0.1", 9)), false,
                DownloadOptions.defaults(nodeId), env);
        env.core.begin(null);
        env.drain();
        return env.ok;
    }

    private void drain() {
        for (int i = 0; i < MAX_EVENTS && !outcomes.isEmpty() && !core.isDone(); i++) {
            outcomes.poll().run();
        }
        if (!core.isDone()) {
            core.cancel();
        }
    }

    @Override
    public long nowNanos() {
        return 0;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        return () -> { };
    }

    @Override
    public void connect(int peer, InetSocketAddress address, Handshake ours) {
        outcomes.add(() -> core.linkUp(peer, new Link(peer)));
    }

    @Override
    public void startPartial(long lengthBytes, byte[] leafHashes) {
        outcomes.add(core::partialStarted);
    }

    @Override
    public void writeSpan(long requestId, int height, long index, ByteBuffer bytes) {
        writtenBytes += tree.proof(height, index).spanLengthBytes();
        long done = writtenBytes;
        outcomes.add(() -> core.spanWritten(requestId, done));
    }

    @Override
    public void complete() {
        outcomes.add(core::completed);
    }

    @Override
    public void closePartial() {
        outcomes.add(core::partialClosed);
    }

    @Override
    public void progressed(DownloadProgress progress) {
    }

    @Override
    public void ended(Exception error) {
        ok = error == null;
    }

    private final class Link implements PeerLink {
        private final int peer;

        Link(int peer) {
            this.peer = peer;
        }

        @Override
        public Holdings holdings() {
            return Holdings.complete();
        }

        @Override
        public long lengthBytes() {
            return tree.lengthBytes();
        }

        @Override
        public long handshakeRttNanos() {
            return 1_000_000;
        }

        @Override
        public void requestSpan(long token, int height, long index) {
            SpanProof proof = tree.proof(height, index);
            byte[] bytes = Arrays.copyOfRange(data, (int) proof.offsetBytes(),
                    (int) (proof.offsetBytes() + proof.spanLengthBytes()));
            outcomes.add(() -> core.spanArrived(peer, token, new Span(1, proof, bytes)));
        }

        @Override
        public void requestHashes(long token, int height, long index) {
            SpanProof proof = tree.proof(height, index);
            byte[] hashes = tree.leafHashes(proof.firstLeaf(), (int) proof.leafCount());
            outcomes.add(() -> core.hashesArrived(peer, token, new Hashes(1, proof, hashes)));
        }

        @Override
        public void cancel(long token) {
        }

        @Override
        public void close() {
        }

        @Override
        public void reject(String reason) {
        }
    }
}
