package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.node.GetFailedException.Reason;
import org.kadshare.overlay.transfer.PeerClass;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.download.PeerProgress;
import org.kadshare.overlay.transfer.server.UploadSnapshot;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.StoredFile;

/** The registry with fake runs of a get, in hand-moved time: no network, no threads. */
class TransfersTest {
    private static final ContentId ID = ContentId.of(new byte[ContentId.LENGTH_BYTES]);
    private static final GetTarget TARGET = GetTarget.into(Path.of("/tmp/out"));
    private static final InetSocketAddress HOLDER = new InetSocketAddress("127.0.0.7", 4870);

    private final List<FakeRun> runs = new ArrayList<>();
    private final List<ContentId> removed = new ArrayList<>();
    private final List<UploadSnapshot> uploads = new ArrayList<>();
    private long nowNanos = 1_000_000_000L;
    private boolean runsStopAtOnce = true;
    private final Transfers transfers = new Transfers((id, target, options) -> {
        FakeRun run = new FakeRun(id, runsStopAtOnce);
        runs.add(run);
        return run;
    }, removed::add, () -> uploads, () -> nowNanos);

    @Test
    void aDetachedDownloadIsListedRunningWithItsProgressAndPeers() {
        GetTask task = transfers.download(ID, TARGET, GetOptions.defaults(), true);
        runs.get(0).progress = progress(400, 1000, 250.0, 4000, PeerProgress.State.CONNECTED);
        runs.get(0).phase = GetPhase.DOWNLOADING;
        nowNanos += 2_000_000_000L;

        Transfer t = transfers.get(Transfers.transferId(task));
        assertThat(t.transferId()).isEqualTo("d1");
        assertThat(t.state()).isEqualTo(TransferState.RUNNING);
        assertThat(t.phase()).isEqualTo(GetPhase.DOWNLOADING);
        assertThat(t.detached()).isTrue();
        assertThat(t.bytesDone()).isEqualTo(400);
        assertThat(t.totalBytes()).isEqualTo(1000);
        assertThat(t.bytesPerSecond()).isEqualTo(250.0);
        assertThat(t.etaMillis()).isEqualTo(4000);
        assertThat(t.elapsedMillis()).isEqualTo(2000);
        assertThat(t.peersConnected()).isEqualTo(1);
        assertThat(t.peers()).containsExactly(new TransferPeer(HOLDER, 400, "CONNECTED"));
        assertThat(transfers.list()).extracting(Transfer::transferId).containsExactly("d1");
    }

    @Test
    void pauseStopsTheRunKeepingItsPartAndResumeStartsANewRun() {
        transfers.download(ID, TARGET, GetOptions.defaults(), true);
        runs.get(0).progress = progress(400, 1000, 250.0, 4000, PeerProgress.State.CONNECTED);

        Transfer paused = transfers.command("d1", TransferCommand.PAUSE);
        assertThat(paused.state()).isEqualTo(TransferState.PAUSED);
        assertThat(runs.get(0).cancelled).isTrue();
        assertThat(removed).isEmpty();
        assertThat(paused.bytesDone()).as("the verified bytes still show").isEqualTo(400);
        assertThat(paused.bytesPerSecond()).isZero();
        assertThat(paused.etaMillis()).isEqualTo(-1);
        assertThat(paused.peersConnected()).isZero();

        Transfer resumed = transfers.command("d1", TransferCommand.RESUME);
        assertThat(resumed.state()).isEqualTo(TransferState.RUNNING);
        assertThat(runs).hasSize(2);
        runs.get(1).finish();
        assertThat(transfers.get("d1").state()).isEqualTo(TransferState.DONE);
    }

    @Test
    void resumeRightAfterPauseWaitsForTheStoppingRunBeforeStartingTheNext() {
        runsStopAtOnce = false;
        transfers.download(ID, TARGET, GetOptions.defaults(), true);
        transfers.command("d1", TransferCommand.PAUSE);
        transfers.command("d1", TransferCommand.RESUME);
        assertThat(runs).as("the first run still holds the partial download").hasSize(1);

        runs.get(0).endCancelled();
        assertThat(runs).hasSize(2);
        assertThat(transfers.get("d1").state()).isEqualTo(TransferState.RUNNING);
    }

    @Test
    void pausingTwiceAnswersThePausedTransferAndStartsNothing() {
        transfers.download(ID, TARGET, GetOptions.defaults(), true);
        transfers.command("d1", TransferCommand.PAUSE);
        Transfer again = transfers.command("d1", TransferCommand.PAUSE);
        assertThat(again.state()).isEqualTo(TransferState.PAUSED);
        assertThat(runs).hasSize(1);
    }

    @Test
    void cancelRemovesTheVerifiedPartOnceTheRunHasStoppedAndCancellingAgainIsNoError() {
        runsStopAtOnce = false;
        GetTask task = transfers.download(ID, TARGET, GetOptions.defaults(), false);
        Transfer cancelled = transfers.command("d1", TransferCommand.CANCEL);
        assertThat(cancelled.state()).isEqualTo(TransferState.CANCELLED);
        assertThat(removed).as("not while the run may still write").isEmpty();
        runs.get(0).endCancelled();
        assertThat(removed).containsExactly(ID);

        assertThat(transfers.command("d1", TransferCommand.CANCEL).state()).isEqualTo(TransferState.CANCELLED);
        assertThat(removed).hasSize(1);
        assertThatThrownBy(() -> task.result().get()).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(GetFailedException.class);
    }

    @Test
    void cancellingAPausedDownloadRemovesItsPartAtOnce() {
        transfers.download(ID, TARGET, GetOptions.defaults(), true);
        transfers.command("d1", TransferCommand.PAUSE);
        transfers.command("d1", TransferCommand.CANCEL);
        assertThat(removed).containsExactly(ID);
    }

    @Test
    void commandsOnADoneDownloadAreRefusedAsConflictsAndAnUnknownIdAsMissing() {
        transfers.download(ID, TARGET, GetOptions.defaults(), true);
        runs.get(0).finish();
        for (TransferCommand c : TransferCommand.values()) {
            assertThatThrownBy(() -> transfers.command("d1", c)).isInstanceOf(TransferRefusedException.class)
                    .hasMessageContaining("it is done")
                    .satisfies(e -> assertThat(((TransferRefusedException) e).kind())
                            .isEqualTo(TransferRefusedException.Kind.CONFLICT));
        }
        assertThatThrownBy(() -> transfers.command("d9", TransferCommand.PAUSE))
                .isInstanceOf(TransferRefusedException.class).hasMessageContaining("no transfer d9")
                .satisfies(e -> assertThat(((TransferRefusedException) e).kind())
                        .isEqualTo(TransferRefusedException.Kind.NO_SUCH_TRANSFER));
        assertThat(removed).isEmpty();
    }

    @Test
    void aFailedRunLeavesAFailedTransferThatResumeRetries() {
        GetTask task = transfers.download(ID, TARGET, GetOptions.defaults(), false);
        runs.get(0).result.completeExceptionally(new GetFailedException(Reason.NETWORK, "every holder failed", null));
        Transfer failed = transfers.get("d1");
        assertThat(failed.state()).isEqualTo(TransferState.FAILED);
        assertThat(failed.message()).isEqualTo("every holder failed");
        assertThat(task.result()).isCompletedExceptionally();

        transfers.command("d1", TransferCommand.RESUME);
        assertThat(runs).hasSize(2);
        assertThat(task.result()).as("a new outcome to wait for").isNotDone();
        runs.get(1).finish();
        assertThat(task.result()).isCompleted();
    }

    @Test
    void aSecondDownloadOfContentAlreadyDownloadingIsRefusedNamingTheFirst() {
        transfers.download(ID, TARGET, GetOptions.defaults(), true);
        assertThatThrownBy(() -> transfers.download(ID, TARGET, GetOptions.defaults(), false))
                .isInstanceOf(TransferRefusedException.class).hasMessageContaining("d1");
        runs.get(0).finish();
        assertThat(Transfers.transferId(transfers.download(ID, TARGET, GetOptions.defaults(), false))).isEqualTo("d2");
    }

    @Test
    void theTaskOfAForegroundDownloadShowsAPauseAsThePausedPhaseAndKeepsWaiting() {
        GetTask task = transfers.download(ID, TARGET, GetOptions.defaults(), false);
        runs.get(0).phase = GetPhase.DOWNLOADING;
        assertThat(task.phase()).isEqualTo(GetPhase.DOWNLOADING);
        transfers.command("d1", TransferCommand.PAUSE);
        assertThat(task.phase()).isEqualTo(GetPhase.PAUSED);
        assertThat(task.result()).isNotDone();
    }

    @Test
    void aForegroundClientGoingAwayStopsTheDownloadKeepingItsPart() {
        GetTask task = transfers.download(ID, TARGET, GetOptions.defaults(), false);
        task.cancel();
        assertThat(transfers.get("d1").state()).isEqualTo(TransferState.CANCELLED);
        assertThat(transfers.get("d1").message()).contains("kept");
        assertThat(removed).isEmpty();
        assertThat(task.result()).isCompletedExceptionally();
    }

    @Test
    void onlyTheLatestFinishedDownloadsAreRemembered() {
        for (int i = 0; i < Transfers.MAX_FINISHED + 5; i++) {
            transfers.download(ID, TARGET, GetOptions.defaults(), true);
            runs.get(i).finish();
        }
        List<Transfer> all = transfers.list();
        assertThat(all).hasSize(Transfers.MAX_FINISHED);
        assertThat(all.get(0).transferId()).isEqualTo("d6");
    }

    @Test
    void unfinishedDownloadsAreBoundedAndTheLimitIsReachableByHonestUse() {
        for (int i = 0; i < Transfers.MAX_DOWNLOADS; i++) {
            ContentId other = ContentId.of(idBytes(i));
            transfers.download(other, TARGET, GetOptions.defaults(), true);
        }
        assertThat(transfers.list()).hasSize(Transfers.MAX_DOWNLOADS);
        assertThatThrownBy(() -> transfers.download(ContentId.of(idBytes(9999)), TARGET, GetOptions.defaults(), true))
                .isInstanceOf(TransferRefusedException.class).hasMessageContaining("at most " + Transfers.MAX_DOWNLOADS);
    }

    @Test
    void uploadsAreListedAfterDownloadsAndCannotBeSteered() {
        uploads.add(new UploadSnapshot(3, HOLDER, ID, 1000, 600, 2, 3000));
        transfers.download(ID, TARGET, GetOptions.defaults(), true);
        List<Transfer> all = transfers.list();
        assertThat(all).extracting(Transfer::transferId).containsExactly("d1", "u3");
        Transfer up = all.get(1);
        assertThat(up.direction()).isEqualTo(Transfer.Direction.UPLOAD);
        assertThat(up.bytesDone()).isEqualTo(600);
        assertThat(up.bytesPerSecond()).isEqualTo(200.0);
        assertThat(up.uploadPeer()).isEqualTo(HOLDER);
        assertThatThrownBy(() -> transfers.command("u3", TransferCommand.PAUSE))
                .isInstanceOf(TransferRefusedException.class).hasMessageContaining("upload");
    }

    @Test
    void bytesFetchedAreCountedByPeerClassAndHoldersSeenAreRemembered() {
        transfers.download(ID, TARGET, GetOptions.defaults(), true);
        runs.get(0).progress = progress(700, 1000, 0, -1, PeerProgress.State.CONNECTED);
        runs.get(0).finish();
        assertThat(transfers.bytesFetchedFrom(PeerClass.LOOPBACK)).isEqualTo(700);
        assertThat(transfers.bytesFetchedFrom(PeerClass.PUBLIC)).isZero();
        assertThat(transfers.holdersSeen(ID)).hasValue(1);
        assertThat(transfers.holdersSeen(ContentId.of(idBytes(5)))).isEmpty();
    }

    private static byte[] idBytes(int n) {
        byte[] b = new byte[ContentId.LENGTH_BYTES];
        b[0] = (byte) (n >>> 8);
        b[1] = (byte) n;
        b[2] = 1;
        return b;
    }

    private static DownloadProgress progress(long done, long total, double rate, long eta, PeerProgress.State state) {
        return new DownloadProgress(total, done, rate, state == PeerProgress.State.CONNECTED ? 1 : 0, eta, 0, 0, 0, 0,
                List.of(new PeerProgress(HOLDER, state, done, 1, 0, "")));
    }

    /** A run of a get that the test ends by hand. */
    private static final class FakeRun implements GetTask {
        final ContentId id;
        final boolean stopsAtOnce;
        final CompletableFuture<StoredFile> result = new CompletableFuture<>();
        volatile GetPhase phase = GetPhase.FINDING_HOLDERS;
        volatile DownloadProgress progress;
        boolean cancelled;

        FakeRun(ContentId id, boolean stopsAtOnce) {
            this.id = id;
            this.stopsAtOnce = stopsAtOnce;
        }

        void finish() {
            result.complete(null == progress ? stored(1000) : stored(progress.totalBytes()));
        }

        private StoredFile stored(long length) {
            Path file = Path.of("/tmp/out/file");
            return new StoredFile(id, length, AddMode.REFERENCE, file, file, false);
        }

        void endCancelled() {
            result.completeExceptionally(new GetFailedException(Reason.CANCELLED, "cancelled", null));
        }

        @Override
        public ContentId id() {
            return id;
        }

        @Override
        public GetPhase phase() {
            return phase;
        }

        @Override
        public DownloadProgress progress() {
            return progress;
        }

        @Override
        public CompletableFuture<StoredFile> result() {
            return result;
        }

        @Override
        public Path destination() {
            return Path.of("/tmp/out/file");
        }

        @Override
        public void cancel() {
            cancelled = true;
            if (stopsAtOnce) {
                endCancelled();
            }
        }
    }
}
