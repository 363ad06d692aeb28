package org.kadshare.overlay.transfer.download;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.kadshare.overlay.transfer.TransferException;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * In-memory holders behind a {@link PeerConnector}: each serves one file from memory on its own
 * thread, and can be told to misbehave. Replies go out in request order, as over one TCP stream.
 */
final class FakeHolders implements PeerConnector {
    enum Behaviour {
        GOOD, CORRUPT_SPANS, CORRUPT_HASHES, STALL, SILENT_HASHES, DIE_AFTER_4_SPANS, REFUSE,
        /** Gives the length one byte longer in its handshake and serves the true file's hashes. */
        WRONG_LENGTH,
        /** Refuses the first two connections with BUSY, then serves. */
        BUSY_TWICE_ON_CONNECT,
        /** Refuses every connection with BUSY. */
        ALWAYS_BUSY,
        /** Answers the first two leaf-hash requests with BUSY, then serves. */
        BUSY_TWICE_ON_HASHES,
        /** Answers the first three span requests with BUSY, then serves. */
        BUSY_THRICE_ON_SPANS,
        /** Never completes a connection (a silent address). */
        NEVER_CONNECTS
    }

    private final byte[] content;
    private final MerkleTree tree;
    private final Map<InetSocketAddress, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, AtomicInteger> served = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, AtomicInteger> hashesServed = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, AtomicInteger> rejections = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, AtomicInteger> connects = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, AtomicInteger> busyAnswers = new ConcurrentHashMap<>();
    private final ExecutorService wire = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fake-holders");
        t.setDaemon(true);
        return t;
    });

    private final ScheduledThreadPoolExecutor loop = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "fake-holders-download");
        t.setDaemon(true);
        return t;
    });

    FakeHolders(byte[] content, MerkleTree tree) {
        loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.content = content;
        this.tree = tree;
    }

    InetSocketAddress add(int port, Behaviour behaviour) {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
        behaviours.put(address, behaviour);
        served.put(address, new AtomicInteger());
        hashesServed.put(address, new AtomicInteger());
        rejections.put(address, new AtomicInteger());
        connects.put(address, new AtomicInteger());
        busyAnswers.put(address, new AtomicInteger());
        return address;
    }

    int spansServed(InetSocketAddress address) {
        return served.get(address).get();
    }

    int hashesServed(InetSocketAddress address) {
        return hashesServed.get(address).get();
    }

    /** How often the download told this holder that its data failed verification. */
    int rejections(InetSocketAddress address) {
        return rejections.get(address).get();
    }

    int connects(InetSocketAddress address) {
        return connects.get(address).get();
    }

    int busyAnswers(InetSocketAddress address) {
        return busyAnswers.get(address).get();
    }

    @Override
    public CompletableFuture<PeerLink> connect(InetSocketAddress holder, Handshake ours, PeerEvents events,
            LongSupplier clock) {
        Behaviour b = behaviours.get(holder);
        int attempt = connects.get(holder).incrementAndGet();
        if (b == Behaviour.REFUSE) {
            return CompletableFuture.failedFuture(new java.net.ConnectException("connection refused"));
        }
        if (b == Behaviour.NEVER_CONNECTS) {
            return new CompletableFuture<>();
        }
        if (b == Behaviour.ALWAYS_BUSY || (b == Behaviour.BUSY_TWICE_ON_CONNECT && attempt <= 2)) {
            busyAnswers.get(holder).incrementAndGet();
            return CompletableFuture.failedFuture(new TransferException(ErrorCode.BUSY,
                    "holder refused: BUSY this node has too many connections"));
        }
        return CompletableFuture.completedFuture(new Link(holder, b, events));
    }

    @Override
    public ScheduledExecutorService loop() {
        return loop;
    }

    @Override
    public void close() {
        loop.shutdown();
        wire.shutdownNow();
    }

    private final class Link implements PeerLink {
        private final InetSocketAddress address;
        private final Behaviour behaviour;
        private final PeerEvents events;
        private volatile boolean closed;

        Link(InetSocketAddress address, Behaviour behaviour, PeerEvents events) {
            this.address = address;
            this.behaviour = behaviour;
            this.events = events;
        }

        @Override
        public Holdings holdings() {
            return Holdings.complete();
        }

        @Override
        public long lengthBytes() {
            return behaviour == Behaviour.WRONG_LENGTH ? tree.lengthBytes() + 1 : tree.lengthBytes();
        }

        /** Answers BUSY instead of serving, if this holder is told to now. */
        private boolean busy(long token, Behaviour when, int times) {
            if (behaviour != when || busyAnswers.get(address).get() >= times) {
                return false;
            }
            busyAnswers.get(address).incrementAndGet();
            events.requestFailed(token, true, "BUSY: too many requests queued");
            return true;
        }

        @Override
        public long handshakeRttNanos() {
            return 100_000;
        }

        @Override
        public void requestSpan(long token, int height, long index) {
            wire.execute(() -> {
                if (closed || behaviour == Behaviour.STALL || busy(token, Behaviour.BUSY_THRICE_ON_SPANS, 3)) {
                    return;
                }
                int n = served.get(address).incrementAndGet();
                if (behaviour == Behaviour.DIE_AFTER_4_SPANS && n > 4) {
                    close();
                    return;
                }
                SpanProof proof = tree.proof(height, index);
                byte[] data = Arrays.copyOfRange(content, (int) proof.offsetBytes(),
                        (int) (proof.offsetBytes() + proof.spanLengthBytes()));
                if (behaviour == Behaviour.CORRUPT_SPANS && data.length > 0) {
                    data[data.length / 2] ^= 1;
                }
                events.spanArrived(token, new Span(1, proof, data));
            });
        }

        @Override
        public void requestHashes(long token, int height, long index) {
            wire.execute(() -> {
                if (closed || behaviour == Behaviour.SILENT_HASHES || busy(token, Behaviour.BUSY_TWICE_ON_HASHES, 2)) {
                    return;
                }
                hashesServed.get(address).incrementAndGet();
                SpanProof proof = tree.proof(height, index);
                byte[] hashes = tree.leafHashes(proof.firstLeaf(), (int) proof.leafCount());
                if (behaviour == Behaviour.CORRUPT_HASHES) {
                    hashes[0] ^= 1;
                }
                events.hashesArrived(token, new Hashes(1, proof, hashes));
            });
        }

        @Override
        public void cancel(long token) {
        }

        @Override
        public void reject(String reason) {
            rejections.get(address).incrementAndGet();
            close();
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                events.closed("closed");
            }
        }
    }
}
