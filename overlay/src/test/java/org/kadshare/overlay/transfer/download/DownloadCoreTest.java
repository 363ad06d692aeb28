package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.DhtEnvironment.Cancellable;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.schedule.ScheduleConfig;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.ContentHasher;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * The download's core alone, in virtual time: no socket, no thread, no clock. Holders are links
 * that answer (or not) one virtual millisecond later; the disk writes every span it is given.
 */
class DownloadCoreTest {
    /** 1,025 leaves: a leaf layer of five pieces. */
    private static final int LENGTH = (16 << 20) + 5000;
    private static final long TICK_MILLIS = 50;
    private static byte[] content;
    private static MerkleTree tree;

    @BeforeAll
    static void hash() throws Exception {
        content = new byte[LENGTH];
        new Random(11).nextBytes(content);
        try (ContentHasher hasher = new ContentHasher(1)) {
            tree = hasher.hash(content);
        }
    }

    private static DownloadOptions options() {
        return DownloadOptions.defaults(NodeId.of(new byte[20]))
                .withSchedule(ScheduleConfig.defaults().withStallNanos(200_000_000L, 300_000_000L))
                .withStalledPeerTimeoutMillis(1_000);
    }

    private static InetSocketAddress holder(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** How a test holder answers span requests. */
    enum Serving { ALL, NOTHING, BUSY_ONCE, CORRUPT }

    /** A virtual clock, the core's environment on it, and a log of everything the core did. */
    private static final class World implements DownloadEnvironment {
        private record Timer(long atMillis, long seq, Runnable task, boolean[] cancelled) {
        }

        private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) -> a.atMillis != b.atMillis
                ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
        private long nowMillis;
        private long seq;
        private final SplittableRandom random = new SplittableRandom(5);
        final List<String> log = new ArrayList<>();
        final List<Long> connectTimes = new ArrayList<>();
        final List<Link> links = new ArrayList<>();
        final BitSet written = new BitSet();
        /** Requests answered by a CORRUPT link: their write is rejected, each one 200 ms after the one before. */
        final java.util.Set<Long> corrupt = new java.util.HashSet<>();
        private int rejections;
        DownloadCore core;
        Serving serving = Serving.ALL;
        boolean ended;
        Exception error;
        DownloadProgress last;
        /** How long a span's write takes. */
        long writeMillis = 1;
        /** Leaves on disk when the partial download was closed, or -1. */
        int writesAtClose = -1;

        /** Leaves a link says it holds; null: the whole file. */
        BitSet linkHoldings;
        /** Leaf-hash pieces at or past this index are answered only by {@link #releaseHashes}. */
        long holdBackPiecesFrom = Long.MAX_VALUE;
        private final List<Runnable> heldBackHashes = new ArrayList<>();
        boolean partialStarted;
        int writesBeforePartial;
        long spanBytesArrived;

        /** A new run: no partial download, the leaf layer comes from the holders. */
        DownloadCore startNew(DownloadOptions options, InetSocketAddress... holders) {
            core = new DownloadCore(tree.contentId(), List.of(holders), false, options, this);
            core.begin(null);
            return core;
        }

        /** The held-back leaf-hash answers arrive now. */
        void releaseHashes() {
            heldBackHashes.forEach(Runnable::run);
            heldBackHashes.clear();
        }

        DownloadCore start(DownloadOptions options, InetSocketAddress... holders) {
            return start(options, new BitSet(), holders);
        }

        /** A run resuming with {@code held} leaves already verified. */
        DownloadCore start(DownloadOptions options, BitSet held, InetSocketAddress... holders) {
            core = new DownloadCore(tree.contentId(), List.of(holders), false, options, this);
            long heldBytes = held.stream().mapToLong(leaf -> tree.proof(0, leaf).spanLengthBytes()).sum();
            core.begin(new DownloadCore.Resumed(LENGTH, held, heldBytes));
            return core;
        }

        void later(long delayMillis, Runnable task) {
            timers.add(new Timer(nowMillis + delayMillis, seq++, () -> {
                if (!core.isDone()) {
                    task.run();
                }
            }, new boolean[1]));
        }

        void runFor(long millis) {
            long until = nowMillis + millis;
            while (!timers.isEmpty() && timers.peek().atMillis <= until) {
                Timer t = timers.poll();
                nowMillis = t.atMillis;
                if (!t.cancelled[0]) {
                    t.task.run();
                }
            }
            nowMillis = until;
        }

        /** Holder {@code peer}'s connection comes up, serving as {@link #serving} says. */
        Link up(int peer) {
            return up(peer, LENGTH);
        }

        /** As {@link #up(int)}, the holder giving {@code claimedLengthBytes} as the file's length. */
        Link up(int peer, long claimedLengthBytes) {
            Link link = new Link(peer, serving);
            link.claimedLengthBytes = claimedLengthBytes;
            links.add(link);
            core.linkUp(peer, link);
            return link;
        }

        @Override
        public long nowNanos() {
            return nowMillis * 1_000_000L;
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            boolean[] cancelled = new boolean[1];
            timers.add(new Timer(nowMillis + delayMillis, seq++, task, cancelled));
            return () -> cancelled[0] = true;
        }

        @Override
        public void connect(int peer, InetSocketAddress address, Handshake ours) {
            log.add(nowMillis + " connect " + peer);
            connectTimes.add(nowMillis);
        }

        @Override
        public void startPartial(long lengthBytes, byte[] leafHashes) {
            assertThat(leafHashes).isEqualTo(tree.leafHashes(0, (int) tree.leafCount()));
            log.add(nowMillis + " partial");
            later(1, () -> {
                partialStarted = true;
                core.partialStarted();
            });
        }

        @Override
        public void writeSpan(long requestId, int height, long index, ByteBuffer data) {
            if (!partialStarted) {
                writesBeforePartial++;
            }
            SpanProof proof = tree.proof(height, index);
            if (corrupt.contains(requestId)) {
                later(1 + 200L * rejections++, () -> core.spanRejected(requestId, "leaf does not match its hash"));
                return;
            }
            // the leaves are on disk when the write ends, whether or not the run still listens
            schedule(writeMillis, () -> {
                written.set((int) proof.firstLeaf(), (int) (proof.firstLeaf() + proof.leafCount()));
                long done = Math.min(LENGTH, (long) written.cardinality() * MerkleTree.LEAF_SIZE_BYTES);
                if (!core.isDone()) {
                    core.spanWritten(requestId, done);
                }
            });
        }

        @Override
        public void complete() {
            log.add(nowMillis + " complete");
            later(1, core::completed);
        }

        @Override
        public void closePartial() {
            log.add(nowMillis + " close partial");
            writesAtClose = written.cardinality();
            later(1, core::partialClosed);
        }

        @Override
        public void progressed(DownloadProgress progress) {
            last = progress;
        }

        @Override
        public void ended(Exception e) {
            ended = true;
            error = e;
            log.add(nowMillis + " ended " + (e == null ? "ok" : e.getMessage()));
        }

        final class Link implements PeerLink {
            final int peer;
            final Serving behaviour;
            int spansAsked;
            boolean closed;
            long claimedLengthBytes = LENGTH;

            Link(int peer, Serving behaviour) {
                this.peer = peer;
                this.behaviour = behaviour;
            }

            @Override
            public Holdings holdings() {
                return linkHoldings == null ? Holdings.complete()
                        : Holdings.of(linkHoldings, (int) tree.leafCount());
            }

            @Override
            public long lengthBytes() {
                return claimedLengthBytes;
            }

            @Override
            public long handshakeRttNanos() {
                return 1_000_000;
            }

            @Override
            public void requestSpan(long token, int height, long index) {
                spansAsked++;
                log.add(nowMillis + " span " + peer + " (" + height + ", " + index + ")");
                if (behaviour == Serving.NOTHING) {
                    return;
                }
                if (behaviour == Serving.BUSY_ONCE && spansAsked == 1) {
                    later(1, () -> core.requestFailed(peer, token, true, "BUSY"));
                    return;
                }
                if (behaviour == Serving.CORRUPT) {
                    corrupt.add(token);
                }
                SpanProof proof = tree.proof(height, index);
                byte[] data = Arrays.copyOfRange(content, (int) proof.offsetBytes(),
                        (int) (proof.offsetBytes() + proof.spanLengthBytes()));
                later(1, () -> {
                    spanBytesArrived += data.length;
                    core.spanArrived(peer, token, new Span(1, proof, data));
                });
            }

            @Override
            public void requestHashes(long token, int height, long index) {
                log.add(nowMillis + " hashes " + peer + " (" + height + ", " + index + ")");
                SpanProof proof = tree.proof(height, index);
                Runnable answer = () -> core.hashesArrived(peer, token,
                        new Hashes(1, proof, tree.leafHashes(proof.firstLeaf(), (int) proof.leafCount())));
                if (index >= holdBackPiecesFrom) {
                    heldBackHashes.add(() -> later(1, answer));
                } else {
                    later(1, answer);
                }
            }

            @Override
            public void cancel(long token) {
                log.add(nowMillis + " cancel " + peer);
            }

            @Override
            public void close() {
                closed = true;
            }

            @Override
            public void reject(String reason) {
                closed = true;
            }
        }
    }

    @Test
    void aHolderThatNeverCompletesItsHandshakeIsDroppedAtTheConnectTimeout() {
        World w = new World();
        w.start(options(), holder(1));
        w.runFor(options().connectTimeoutMillis() - 1);
        assertThat(w.ended).as("not before the timeout").isFalse();
        w.runFor(2);
        assertThat(w.ended).isTrue();
        assertThat(w.error).isInstanceOf(DownloadFailedException.class)
                .hasMessageContaining("no handshake in time").hasMessageContaining(holder(1).toString());
    }

    @Test
    void whenNoHolderCanBeConnectedToTheFailureSaysNoHolderCouldBeReachedAndWhy() {
        World w = new World();
        w.start(options(), holder(1), holder(2));
        w.core.linkFailed(0, "connection refused");
        w.core.linkFailed(1, "connection timed out");
        w.runFor(2 * TICK_MILLIS + 1);
        assertThat(w.log).as("both holders were asked").contains("0 connect 0", "0 connect 1");
        assertThat(w.ended).isTrue();
        assertThat(w.error).isInstanceOf(DownloadFailedException.class)
                .hasMessageContaining("no holder could be reached: 2 holders tried")
                .hasMessageContaining("port mapping")
                .hasMessageContaining("connection refused").hasMessageContaining("connection timed out");
    }

    @Test
    void aHolderThatConnectedAndLeftIsNotReportedAsUnreachable() {
        World w = new World();
        w.start(options(), holder(1));
        w.up(0);
        w.core.linkClosed(0, "reset by peer");
        w.runFor(2 * TICK_MILLIS + 1);
        assertThat(w.ended).isTrue();
        assertThat(w.error).isInstanceOf(DownloadFailedException.class)
                .hasMessageContaining("every holder is gone").hasMessageNotContaining("could be reached");
    }

    @Test
    void atTheConnectionLimitAHolderWithNothingTheDownloadLacksMakesRoomForOneThatWaits() {
        World w = new World();
        BitSet held = new BitSet();
        held.set(0, 2);
        w.linkHoldings = held;
        w.start(options().withMaxConnections(2), held, holder(1), holder(2), holder(3));
        assertThat(w.log).containsExactly("0 connect 0", "0 connect 1");
        World.Link first = w.up(0);
        World.Link second = w.up(1);
        w.runFor(HolderSet.USELESS_MILLIS - TICK_MILLIS);
        assertThat(w.log).as("not before they have held nothing new for a while")
                .noneMatch(l -> l.endsWith("connect 2"));
        w.runFor(2 * TICK_MILLIS + 1);
        assertThat(first.closed || second.closed).as("one of the two closed").isTrue();
        assertThat(first.closed && second.closed).as("only one a tick").isFalse();
        assertThat(w.log).anyMatch(l -> l.endsWith("connect 2"));
        assertThat(w.ended).isFalse();
    }

    @Test
    void belowTheConnectionLimitAHolderWithNothingTheDownloadLacksKeepsItsConnection() {
        World w = new World();
        BitSet held = new BitSet();
        held.set(0, 2);
        w.linkHoldings = held;
        w.start(options().withMaxConnections(4), held, holder(1), holder(2));
        World.Link first = w.up(0);
        World.Link second = w.up(1);
        w.runFor(10 * HolderSet.USELESS_MILLIS);
        assertThat(first.closed || second.closed).as("nobody waits for the room").isFalse();
    }

    /** Regression: a cancel closed the partial download while spans were still being written. */
    @Test
    void aCancelledRunClosesThePartialDownloadOnlyOnceTheSpansOnTheDiskAreWritten() {
        World w = new World();
        w.writeMillis = 50;
        w.start(options(), holder(1));
        w.up(0);
        w.runFor(20); // spans have arrived and are being written
        assertThat(w.written.cardinality()).isZero();
        w.core.cancel();
        w.runFor(1_000);
        assertThat(w.ended).isTrue();
        assertThat(w.written.cardinality()).isPositive();
        assertThat(w.writesAtClose).as("leaves on disk at the close").isEqualTo(w.written.cardinality());
        assertThat(w.last.bytesDone()).as("bytes the run reports held")
                .isEqualTo(Math.min(LENGTH, (long) w.written.cardinality() * MerkleTree.LEAF_SIZE_BYTES));
    }

    /** Regression: a link that connected as the download ended was left open. */
    @Test
    void aLinkThatComesUpAfterTheRunEndedOrAfterItsTimeoutIsClosed() {
        World w = new World();
        w.start(options(), holder(1), holder(2));
        w.runFor(options().connectTimeoutMillis() + 1);
        World.Link late = w.up(0);
        assertThat(late.closed).as("it timed out before coming up").isTrue();

        World ended = new World();
        ended.start(options(), holder(1));
        ended.core.cancel();
        ended.runFor(10);
        assertThat(ended.ended).isTrue();
        assertThat(ended.up(0).closed).isTrue();
    }

    @Test
    void aHolderThatRefusesTheConnectionAsBusyIsTriedAgainOnlyAfterAPauseThatDoubles() {
        World w = new World();
        DownloadOptions options = options().withBusyBackoffMillis(400);
        w.start(options, holder(1));
        assertThat(w.connectTimes).containsExactly(0L);
        w.core.linkBusy(0);
        w.runFor(399);
        assertThat(w.connectTimes).as("nothing during the first pause").hasSize(1);
        w.runFor(TICK_MILLIS + 1);
        assertThat(w.connectTimes).hasSize(2);
        long second = w.connectTimes.get(1);
        assertThat(second).isBetween(400L, 400L + TICK_MILLIS);
        w.core.linkBusy(0);
        w.runFor(799);
        assertThat(w.connectTimes).as("the second pause is twice as long").hasSize(2);
        w.runFor(TICK_MILLIS + 1);
        assertThat(w.connectTimes).hasSize(3);
        assertThat(w.connectTimes.get(2) - second).isBetween(800L, 800L + TICK_MILLIS);
    }

    @Test
    void aHolderThatAnswersBusyToASpanIsAskedNothingUntilItsPauseIsOverAndThenServesTheFile() {
        World w = new World();
        w.start(options().withBusyBackoffMillis(300), holder(1));
        w.serving = Serving.BUSY_ONCE;
        World.Link link = w.up(0);
        int askedAtOnce = link.spansAsked;
        w.runFor(299);
        assertThat(link.spansAsked).as("no new request during the pause").isEqualTo(askedAtOnce);
        w.runFor(2_000);
        assertThat(w.ended).isTrue();
        assertThat(w.error).isNull();
        assertThat(w.written.cardinality()).isEqualTo((int) tree.leafCount());
    }

    @Test
    void aSilentHolderDoesNotHoldUpTheFileItsSpansAreFetchedFromTheOther() {
        World w = new World();
        w.start(options(), holder(1), holder(2));
        w.serving = Serving.NOTHING;
        w.up(0);
        w.serving = Serving.ALL;
        w.up(1);
        w.runFor(5_000);
        assertThat(w.ended).isTrue();
        assertThat(w.error).isNull();
        assertThat(w.last.peers().get(0).bytesFetched()).isZero();
        assertThat(w.last.peers().get(1).bytesFetched()).isGreaterThanOrEqualTo(LENGTH);
    }

    /**
     * Regression: bad spans of a holder still being verified when its first one was rejected were
     * rejected later, after the good holder had fetched everything else and gone idle; their leaves
     * were freed but nobody asked for them again, and the run hung one span short of the end.
     */
    @Test
    void leavesFreedByABadSpanRejectedAfterItsHolderWasBannedAreFetchedFromTheOthers() {
        World w = new World();
        w.start(options(), holder(1), holder(2));
        w.serving = Serving.CORRUPT;
        w.up(0);
        w.runFor(3); // the bad holder's first spans arrive and go to verification
        w.serving = Serving.ALL;
        w.up(1);
        w.runFor(5_000);
        assertThat(w.corrupt).as("the bad holder answered several spans").hasSizeGreaterThan(1);
        assertThat(w.ended).as("the run ends").isTrue();
        assertThat(w.error).isNull();
        assertThat(w.last.peers().get(0).state()).isEqualTo(PeerProgress.State.BANNED);
        assertThat(w.written.cardinality()).isEqualTo((int) tree.leafCount());
    }

    @Test
    void aHolderStalledForLongerThanTheStalledTimeoutIsDroppedAndClosed() {
        World w = new World();
        w.start(options(), holder(1));
        w.serving = Serving.NOTHING;
        World.Link silent = w.up(0);
        // stalled after the initial stall time (300 ms, seen at a tick), dropped 1 s after that
        w.runFor(1_300);
        assertThat(w.ended).as("not before the stalled timeout").isFalse();
        w.runFor(2 * TICK_MILLIS + 1);
        assertThat(w.ended).isTrue();
        assertThat(silent.closed).isTrue();
        assertThat(w.error).isInstanceOf(DownloadFailedException.class)
                .hasMessageContaining("stalled for more than 1000 ms");
    }

    @Test
    void spansAreAskedOnceTheFirstPieceOfTheLeafLayerProvesTheLengthAndWrittenOnlyOnceTheWholeLayerIsIn() {
        World w = new World();
        w.holdBackPiecesFrom = 1;
        w.startNew(options(), holder(1));
        w.up(0);
        assertThat(w.log).as("one piece of a length not yet proven")
                .containsExactly("0 connect 0", "0 hashes 0 (8, 0)");
        w.runFor(TICK_MILLIS + 1);
        assertThat(w.log).as("the proof of the length: the rest of the layer, then spans")
                .contains("1 hashes 0 (8, 1)", "1 hashes 0 (8, 4)").anyMatch(l -> l.startsWith("1 span 0 "));
        assertThat(w.log.indexOf("1 hashes 0 (8, 4)")).isLessThan(
                w.log.indexOf(w.log.stream().filter(l -> l.contains(" span 0 ")).findFirst().orElseThrow()));
        assertThat(w.spanBytesArrived).as("spans came in meanwhile").isPositive();
        assertThat(w.partialStarted).isFalse();
        assertThat(w.writesBeforePartial).as("none is written before the layer is in").isZero();
        assertThat(w.last.bytesDone()).isZero();

        w.releaseHashes();
        w.runFor(5_000);
        assertThat(w.partialStarted).isTrue();
        assertThat(w.writesBeforePartial).isZero();
        assertThat(w.ended).isTrue();
        assertThat(w.error).isNull();
        assertThat(w.written.cardinality()).isEqualTo((int) tree.leafCount());
    }

    @Test
    void aHolderGivingALengthWhoseLeafLayerCannotBeHeldIsDroppedAndTheOthersServeTheFile() {
        World w = new World();
        w.startNew(options(), holder(1), holder(2));
        World.Link liar = w.up(0, Long.MAX_VALUE / 2);
        w.up(1);
        w.runFor(5_000);
        assertThat(liar.closed).isTrue();
        assertThat(w.ended).isTrue();
        assertThat(w.error).isNull();
        assertThat(w.last.peers().get(0).failure()).contains("too long to download");
        assertThat(w.written.cardinality()).isEqualTo((int) tree.leafCount());
    }

    @Test
    void aHolderConnectedBeforeTheLengthIsProvenIsAskedAnotherPieceOfTheLayer() {
        World w = new World();
        w.startNew(options(), holder(1), holder(2));
        w.up(0);
        w.up(1);
        assertThat(w.log).contains("0 hashes 0 (8, 0)", "0 hashes 1 (8, 1)");
        w.runFor(5_000);
        assertThat(w.ended).isTrue();
        assertThat(w.error).isNull();
        for (int piece = 0; piece < 5; piece++) {
            String asked = ", " + piece + ")";
            assertThat(w.log).as("piece %d asked", piece).anyMatch(l -> l.contains(" hashes ") && l.endsWith(asked));
        }
        assertThat(w.log).as("a piece is asked of two holders at most").filteredOn(l -> l.contains(" hashes "))
                .hasSizeLessThanOrEqualTo(10);
    }

    @Test
    void spansThatArriveBeforeTheLayerIsInAreBoundedByThePendingWriteLimit() {
        World w = new World();
        w.holdBackPiecesFrom = 1;
        ScheduleConfig d = ScheduleConfig.defaults();
        long inFlightBytes = 1L << 20;
        ScheduleConfig config = new ScheduleConfig(d.maxSpanHeight(), d.initialSpanHeight(), d.initialDepth(),
                d.maxDepth(), inFlightBytes, d.targetRequestNanos(), d.stallFactor(), d.minStallNanos(),
                d.initialStallNanos(), d.maxCopies());
        long bound = 4L << 20;
        w.startNew(options().withSchedule(config).withMaxPendingWriteBytes(bound), holder(1));
        World.Link link = w.up(0);
        w.runFor(200);
        int asked = link.spansAsked;
        w.runFor(500); // within the stalled-holder timeout: the holder still owes its leaf hashes
        assertThat(link.spansAsked).as("nothing more is asked while the bound is reached").isEqualTo(asked);
        assertThat(w.spanBytesArrived).as("the bound, plus what was in flight when it was reached")
                .isGreaterThanOrEqualTo(bound).isLessThanOrEqualTo(bound + inFlightBytes + (1L << 20));
        assertThat(w.writesBeforePartial).isZero();

        w.releaseHashes();
        w.runFor(5_000);
        assertThat(w.ended).isTrue();
        assertThat(w.error).isNull();
        assertThat(w.written.cardinality()).isEqualTo((int) tree.leafCount());
    }

    @Test
    void whenEveryHolderIsGoneWhileThePartialDownloadStartsTheSpansAlreadyInAreWrittenBeforeItCloses() {
        World w = new World();
        w.startNew(options(), holder(1));
        w.up(0);
        w.runFor(2); // the whole layer and the first spans are in; the partial download is starting
        assertThat(w.log).anyMatch(l -> l.endsWith(" partial"));
        assertThat(w.spanBytesArrived).isPositive();
        assertThat(w.partialStarted).isFalse();
        w.core.linkClosed(0, "reset by peer");
        w.runFor(100);
        assertThat(w.ended).isTrue();
        assertThat(w.error).isInstanceOf(DownloadFailedException.class).hasMessageContaining("every holder is gone");
        assertThat(w.written.cardinality()).as("what came in is kept").isPositive();
        assertThat(w.writesBeforePartial).isZero();
        assertThat(w.log).anyMatch(l -> l.endsWith("close partial"));
    }

    @Test
    void aHolderThatChokesTheDownloadIsAskedForNoMoreLeafHashesUntilItUnchokes() {
        World w = new World();
        w.holdBackPiecesFrom = 0;
        w.startNew(options(), holder(1), holder(2));
        w.up(0);
        w.up(1);
        assertThat(w.log).contains("0 hashes 0 (8, 0)", "0 hashes 1 (8, 1)");
        w.core.choked(0, true);
        assertThat(w.log).as("its ask stays queued at the holder").noneMatch(l -> l.contains(" cancel 0"));
        assertThat(w.log).as("one piece before the proof: the other holder still asks its own").filteredOn(
                l -> l.contains(" hashes ")).hasSize(2);
        w.holdBackPiecesFrom = Long.MAX_VALUE;
        int before = w.log.size();
        w.releaseHashes(); // the choked holder's piece is in first, and taken
        w.runFor(2);
        List<String> after = w.log.subList(before, w.log.size());
        assertThat(after).as("the rest goes to the holder that does not choke").contains("1 hashes 1 (8, 2)")
                .noneMatch(l -> l.contains(" hashes 0 "));
        assertThat(after).anyMatch(l -> l.endsWith(" partial"));
        w.core.choked(0, false);
        w.runFor(5_000);
        assertThat(w.ended).isTrue();
        assertThat(w.error).isNull();
        assertThat(w.written.cardinality()).isEqualTo((int) tree.leafCount());
    }

    @Test
    void theSameEventsGiveTheSameDecisions() {
        List<String> first = twoHolderRun();
        assertThat(first).anyMatch(s -> s.contains(" span 0 ")).anyMatch(s -> s.contains(" span 2 "))
                .anyMatch(s -> s.endsWith("ended ok"));
        assertThat(twoHolderRun()).isEqualTo(first);
    }

    private static List<String> twoHolderRun() {
        World w = new World();
        w.start(options(), holder(1), holder(2), holder(3));
        w.up(0);
        w.up(2);
        w.runFor(3_000);
        return w.log;
    }
}
