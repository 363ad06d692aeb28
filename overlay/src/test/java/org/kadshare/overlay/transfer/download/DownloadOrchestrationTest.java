package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.download.FakeHolders.Behaviour;
import org.kadshare.overlay.transfer.schedule.BusyBackoff;
import org.kadshare.overlay.transfer.schedule.ScheduleConfig;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentHasher;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.StoreConfig;
import org.kadshare.storage.StoredFile;

/** The download's orchestration against in-memory holders (no sockets). */
class DownloadOrchestrationTest {
    private static final int LENGTH = (2 << 20) + 12345;

    @TempDir
    Path dir;
    private byte[] content;
    private MerkleTree tree;
    private BlockStore store;

    @BeforeEach
    void setUp() throws Exception {
        content = new byte[LENGTH];
        new Random(7).nextBytes(content);
        try (ContentHasher hasher = new ContentHasher(1)) {
            tree = hasher.hash(content);
        }
        store = BlockStore.open(dir.resolve("store"), StoreConfig.defaults());
    }

    @AfterEach
    void tearDown() throws Exception {
        store.close();
    }

    private static DownloadOptions options() {
        return DownloadOptions.defaults(NodeId.of(new byte[20]))
                .withSchedule(ScheduleConfig.defaults().withStallNanos(200_000_000L, 300_000_000L))
                .withStalledPeerTimeoutMillis(1_000);
    }

    private Download start(FakeHolders fakes, List<InetSocketAddress> holders, Path destination) {
        return Download.start(tree.contentId(), holders, false, store, destination, options(), fakes, true);
    }

    @Test
    void twoDownloadsShareTheirNodesDiskAndLeaveItOpenForTheNext() throws Exception {
        try (DownloadDisk disk = DownloadDisk.create(1, "the-node-disk");
                BlockStore other = BlockStore.open(dir.resolve("other-store"), StoreConfig.defaults())) {
            FakeHolders first = new FakeHolders(content, tree);
            FakeHolders second = new FakeHolders(content, tree);
            Download a = Download.start(tree.contentId(), List.of(first.add(1, Behaviour.GOOD)), false, store,
                    () -> dir.resolve("a.bin"), options(), first, true, disk, false);
            Download b = Download.start(tree.contentId(), List.of(second.add(2, Behaviour.GOOD)), false, other,
                    () -> dir.resolve("b.bin"), options(), second, true, disk, false);
            a.result().get(10, TimeUnit.SECONDS);
            b.result().get(10, TimeUnit.SECONDS);
            assertThat(Files.readAllBytes(dir.resolve("a.bin"))).isEqualTo(content);
            assertThat(Files.readAllBytes(dir.resolve("b.bin"))).isEqualTo(content);
            CompletableFuture<String> ranOn = new CompletableFuture<>();
            disk.execute(() -> ranOn.complete(Thread.currentThread().getName()));
            assertThat(ranOn.get(10, TimeUnit.SECONDS)).as("the disk outlives the downloads that used it")
                    .isEqualTo("the-node-disk");
        }
    }

    /** Regression: a cancel that arrived while the finished file was being published reported a
     *  failure although the file appeared at the destination. */
    @Test
    void aCancelDuringCompletionNeverReportsFailureForAFileThatAppeared() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress good = fakes.add(1, Behaviour.GOOD);
        Path out = dir.resolve("out.bin");
        CompletableFuture<Download> self = new CompletableFuture<>();
        DownloadOptions cancelAtTheEnd = options().withProgressListener(p -> {
            if (p.bytesDone() == p.totalBytes()) {
                self.thenAccept(Download::cancel);
            }
        });
        Download d = Download.start(tree.contentId(), List.of(good), false, store, out, cancelAtTheEnd, fakes, true);
        self.complete(d);
        boolean succeeded;
        try {
            d.result().get(10, TimeUnit.SECONDS);
            succeeded = true;
        } catch (ExecutionException e) {
            succeeded = false;
        }
        assertThat(Files.exists(out)).as("the destination exists exactly when the result is a success")
                .isEqualTo(succeeded);
        assertThat(succeeded).as("every leaf was verified before the cancel, so completion wins").isTrue();
    }

    @Test
    void aCorruptingHolderIsBannedAndTheFileStillArrivesIntact() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress good = fakes.add(1, Behaviour.GOOD);
        InetSocketAddress bad = fakes.add(2, Behaviour.CORRUPT_SPANS);
        Path out = dir.resolve("out.bin");
        Download d = start(fakes, List.of(bad, good), out);
        StoredFile stored = d.result().get(10, TimeUnit.SECONDS);
        assertThat(stored.id()).isEqualTo(tree.contentId());
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        DownloadProgress p = d.progress();
        assertThat(p.rejectedSpans()).isGreaterThanOrEqualTo(1);
        assertThat(p.peers().get(0).state()).isEqualTo(PeerProgress.State.BANNED);
        assertThat(p.peers().get(0).bytesFetched()).isZero();
        assertThat(fakes.rejections(bad)).as("the holder is told its data is bad").isEqualTo(1);
        assertThat(fakes.rejections(good)).isZero();
    }

    @Test
    void aHolderWithABadLeafLayerIsBannedBeforeAnySpanIsAsked() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress bad = fakes.add(1, Behaviour.CORRUPT_HASHES);
        InetSocketAddress good = fakes.add(2, Behaviour.GOOD);
        Path out = dir.resolve("out.bin");
        Download d = start(fakes, List.of(bad, good), out);
        d.result().get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        assertThat(d.progress().peers().get(0).state()).isEqualTo(PeerProgress.State.BANNED);
        assertThat(fakes.spansServed(bad)).isZero();
    }

    /**
     * Regression: the leaf layer was asked of the first holder only; a seed whose upload queue was
     * full held up the whole download (seconds with no byte) while another holder sat idle.
     */
    @Test
    void aHolderThatNeverSendsTheLeafLayerDoesNotHoldUpTheDownload() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress silent = fakes.add(1, Behaviour.SILENT_HASHES);
        InetSocketAddress good = fakes.add(2, Behaviour.GOOD);
        Path out = dir.resolve("out.bin");
        Download d = start(fakes, List.of(silent, good), out);
        d.result().get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        assertThat(fakes.hashesServed(good)).isEqualTo(1);
        assertThat(fakes.spansServed(silent)).as("it still serves spans once the layer is known").isPositive();
    }

    @Test
    void aStallingHolderLosesItsSpansToTheOthers() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress stall = fakes.add(1, Behaviour.STALL);
        InetSocketAddress good = fakes.add(2, Behaviour.GOOD);
        Path out = dir.resolve("out.bin");
        Download d = start(fakes, List.of(stall, good), out);
        d.result().get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        // Everything came from the good holder (a copy that raced in twice may count twice).
        assertThat(d.progress().peers().get(0).bytesFetched()).isZero();
        assertThat(d.progress().peers().get(1).bytesFetched()).isGreaterThanOrEqualTo(LENGTH);
    }

    @Test
    void whenEveryHolderIsGoneTheErrorNamesThemAndTheVerifiedPartIsKept() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress dying = fakes.add(1, Behaviour.DIE_AFTER_4_SPANS);
        InetSocketAddress refusing = fakes.add(2, Behaviour.REFUSE);
        Path out = dir.resolve("out.bin");
        Download d = start(fakes, List.of(dying, refusing), out);
        assertThatThrownBy(() -> d.result().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(DownloadFailedException.class)
                .hasMessageContaining(dying.toString()).hasMessageContaining("disconnected")
                .hasMessageContaining(refusing.toString()).hasMessageContaining("connection refused");
        assertThat(out).doesNotExist();
        long held = store.resumeDownload(tree.contentId()).orElseThrow().heldLeafCount();
        assertThat(held).isPositive();
        assertThat(store.partialDownloads()).contains(tree.contentId());
    }

    @Test
    void progressIsStillReportedWhileADiskWriteHoldsThePartialDownload() throws Exception {
        PartialDownload partial = store.startDownload(tree.contentId(), LENGTH,
                tree.leafHashes(0, (int) tree.leafCount()));
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress mute = fakes.add(1, Behaviour.STALL);
        AtomicBoolean diskBusy = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch reportsWhileDiskBusy = new CountDownLatch(3);
        DownloadOptions options = DownloadOptions.defaults(NodeId.of(new byte[20])).withProgressListener(p -> {
            started.countDown();
            if (diskBusy.get()) {
                reportsWhileDiskBusy.countDown();
            }
        });
        Download d = Download.start(tree.contentId(), List.of(mute), false, store, dir.resolve("out.bin"), options,
                fakes, true);
        try {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the download started reporting").isTrue();
            // a long force() inside PartialDownload.writeSpan holds this same monitor
            synchronized (partial) {
                diskBusy.set(true);
                assertThat(reportsWhileDiskBusy.await(10, TimeUnit.SECONDS))
                        .as("the download thread kept ticking while the partial download was locked").isTrue();
            }
        } finally {
            d.cancel();
        }
        assertThatThrownBy(() -> d.result().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CancellationException.class);
    }
    private Download startFinding(FakeHolders fakes, List<InetSocketAddress> holders, Path destination,
            DownloadOptions options) {
        return Download.start(tree.contentId(), holders, true, store, destination, options, fakes, true);
    }

    private static DownloadOptions quickBusy() {
        return options().withBusyBackoffMillis(5);
    }

    private static void eventually(Download d, java.util.function.Predicate<DownloadProgress> condition)
            throws InterruptedException {
        for (int i = 0; i < 1_000 && !condition.test(d.progress()); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.test(d.progress())).as("condition reached; progress " + d.progress()).isTrue();
    }

    @Test
    void theLengthIsProvenByAHolderAndOneGivingAnotherLengthIsDroppedWithNothingFetched() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress liar = fakes.add(1, Behaviour.WRONG_LENGTH);
        InetSocketAddress good = fakes.add(2, Behaviour.GOOD);
        Path out = dir.resolve("out.bin");
        Download d = start(fakes, List.of(liar, good), out);
        StoredFile stored = d.result().get(10, TimeUnit.SECONDS);
        assertThat(stored.lengthBytes()).isEqualTo(LENGTH);
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        PeerProgress lying = d.progress().peers().get(0);
        assertThat(lying.state()).isIn(PeerProgress.State.FAILED, PeerProgress.State.BANNED);
        assertThat(lying.bytesFetched()).isZero();
        assertThat(fakes.spansServed(liar)).isZero();
    }

    /**
     * Runs a download from one holder at 127.0.0.1:1 that behaves as {@code behaviour}, and returns
     * it once it has failed with a {@link DownloadFailedException} whose message has every text.
     */
    private Download failsWithOneHolder(FakeHolders fakes, Behaviour behaviour, DownloadOptions options,
            String... texts) {
        InetSocketAddress holder = fakes.add(1, behaviour);
        Download d = Download.start(tree.contentId(), List.of(holder), false, store, dir.resolve("failed.bin"),
                options, fakes, true);
        assertThatThrownBy(() -> d.result().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(DownloadFailedException.class)
                .hasMessageContaining(holder.toString()).hasMessageContainingAll(texts);
        return d;
    }

    @Test
    void aLengthThatNoHolderCanProveIsNeverUsedAndTheRunFailsSayingSo() throws Exception {
        Download d = failsWithOneHolder(new FakeHolders(content, tree), Behaviour.WRONG_LENGTH, options(),
                "before one proved the file's length");
        assertThat(d.progress().totalBytes()).isEqualTo(-1);
        assertThat(store.partialDownloads()).isEmpty();
    }

    /** Regression: a leaf-hashes request that nothing timed out hung a get forever on one silent holder. */
    @Test
    void aHolderSilentAfterTheLeafHashesRequestIsDroppedInsteadOfHangingTheRun() throws Exception {
        failsWithOneHolder(new FakeHolders(content, tree), Behaviour.SILENT_HASHES, options(),
                "sent no leaf hashes within");
    }

    @Test
    void aHolderAddedAfterTheStartIsConnectedAndARunStillFindingHoldersOutlivesItsFirstHolder()
            throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress refusing = fakes.add(1, Behaviour.REFUSE);
        InetSocketAddress good = fakes.add(2, Behaviour.GOOD);
        Path out = dir.resolve("out.bin");
        Download d = startFinding(fakes, List.of(refusing), out, options());
        eventually(d, p -> p.peers().get(0).state() == PeerProgress.State.FAILED);
        assertThat(d.result()).as("more holders may come: not failed yet").isNotDone();
        d.addHolder(good);
        d.addHolder(good);
        d.result().get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        assertThat(d.progress().peers()).as("a holder added twice is one holder").hasSize(2);
    }

    @Test
    void aRunStillFindingHoldersFailsOnceNoMoreComeAndEveryOneIsGone() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress refusing = fakes.add(1, Behaviour.REFUSE);
        Download d = startFinding(fakes, List.of(refusing), dir.resolve("out.bin"), options());
        eventually(d, p -> p.peers().get(0).state() == PeerProgress.State.FAILED);
        d.noMoreHolders();
        assertThatThrownBy(() -> d.result().get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(DownloadFailedException.class).hasMessageContaining("connection refused");
    }

    @Test
    void holdersThatFailedDoNotHideOneFoundLaterButWaitingOnesAreBounded() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress good = fakes.add(2, Behaviour.GOOD);
        Download d = startFinding(fakes, List.of(), dir.resolve("out.bin"), options());
        int batch = Download.MAX_PENDING_HOLDERS;
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < batch; i++) {
                d.addHolder(fakes.add(10_000 + round * batch + i, Behaviour.REFUSE));
            }
            int known = (round + 1) * batch;
            eventually(d, p -> p.peers().size() == known
                    && p.peers().stream().allMatch(h -> h.state() == PeerProgress.State.FAILED));
        }
        d.addHolder(good);
        d.noMoreHolders();
        d.result().get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(dir.resolve("out.bin"))).isEqualTo(content);

        FakeHolders silent = new FakeHolders(content, tree);
        Download flooded = startFinding(silent, List.of(), dir.resolve("flooded.bin"), options());
        try {
            for (int i = 0; i < Download.MAX_PENDING_HOLDERS + 50; i++) {
                flooded.addHolder(silent.add(20_000 + i, Behaviour.NEVER_CONNECTS));
            }
            eventually(flooded, p -> p.peers().size() == Download.MAX_PENDING_HOLDERS);
            Thread.sleep(200);
            assertThat(flooded.progress().peers()).hasSize(Download.MAX_PENDING_HOLDERS);
        } finally {
            flooded.cancel();
        }
    }

    /** Downloads the file from one holder that behaves as {@code behaviour}; returns the holders. */
    private FakeHolders fetchFromOneHolder(Behaviour behaviour, String name) throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        InetSocketAddress holder = fakes.add(1, behaviour);
        Path out = dir.resolve(name);
        Download d = Download.start(tree.contentId(), List.of(holder), false, store, out, quickBusy(), fakes, true);
        d.result().get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        return fakes;
    }

    @Test
    void aHolderThatRefusesTheConnectionAsBusyIsTriedAgainAndServes() throws Exception {
        FakeHolders fakes = fetchFromOneHolder(Behaviour.BUSY_TWICE_ON_CONNECT, "out.bin");
        assertThat(fakes.connects(new InetSocketAddress("127.0.0.1", 1))).isEqualTo(3);
    }

    @Test
    void aHolderThatAnswersBusyToTheLeafHashesAndToSpansIsAskedAgainAfterAPause() throws Exception {
        InetSocketAddress holder = new InetSocketAddress("127.0.0.1", 1);
        assertThat(fetchFromOneHolder(Behaviour.BUSY_TWICE_ON_HASHES, "out.bin").busyAnswers(holder)).isEqualTo(2);
        assertThat(fetchFromOneHolder(Behaviour.BUSY_THRICE_ON_SPANS, "out2.bin").busyAnswers(holder)).isEqualTo(3);
    }

    @Test
    void aHolderThatIsAlwaysBusyIsGivenUpAfterSomeTriesAndTheOthersServeMeanwhile() throws Exception {
        FakeHolders fakes = new FakeHolders(content, tree);
        failsWithOneHolder(fakes, Behaviour.ALWAYS_BUSY, quickBusy(),
                "BUSY " + BusyBackoff.MAX_BUSY_IN_A_ROW + " times in a row");
        assertThat(fakes.connects(new InetSocketAddress("127.0.0.1", 1))).isEqualTo(BusyBackoff.MAX_BUSY_IN_A_ROW);

        FakeHolders more = new FakeHolders(content, tree);
        InetSocketAddress busy2 = more.add(1, Behaviour.ALWAYS_BUSY);
        InetSocketAddress good = more.add(2, Behaviour.GOOD);
        Path out = dir.resolve("out.bin");
        Download d = Download.start(tree.contentId(), List.of(busy2, good), false, store, out,
                options().withMaxConnections(1), more, true);
        d.result().get(10, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(out)).isEqualTo(content);
        assertThat(d.progress().peers().get(1).bytesFetched()).isGreaterThanOrEqualTo(LENGTH);
    }
}
