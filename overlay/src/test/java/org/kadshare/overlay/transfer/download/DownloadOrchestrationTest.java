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
        return Download.start(tree.contentId(), LENGTH, holders, store, destination, options(), fakes, true);
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
        Download d = Download.start(tree.contentId(), LENGTH, List.of(good), store, out, cancelAtTheEnd, fakes, true);
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
        Download d = Download.start(tree.contentId(), LENGTH, List.of(mute), store, dir.resolve("out.bin"), options,
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
}
