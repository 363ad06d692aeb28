package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A download's counts and the progress snapshot made of them, in time set by hand. */
class DownloadTallyTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void theRateIsTheBytesFetchedOverTheWindowAndTheEtaWhatIsMissingAtThatRate() {
        DownloadTally tally = new DownloadTally();
        tally.startWith(1_000);
        tally.sample(0);
        tally.fetched(4_000);
        tally.held(5_000);
        tally.sample(SECOND);
        DownloadProgress p = tally.snapshot(9_000, List.of(), null);
        assertThat(p.bytesDone()).isEqualTo(5_000);
        assertThat(p.bytesPerSecond()).isEqualTo(4_000.0);
        assertThat(p.etaMillis()).as("4,000 bytes missing at 4,000 a second").isEqualTo(1_000);
    }

    @Test
    void withoutARateTheEtaIsUnknownUnlessEverythingIsHeldAndBeforeTheLengthIsProvenItIsUnknown() {
        DownloadTally tally = new DownloadTally();
        tally.held(100);
        assertThat(tally.snapshot(200, List.of(), null).etaMillis()).isEqualTo(-1);
        assertThat(tally.snapshot(100, List.of(), null).etaMillis()).isZero();
        assertThat(tally.snapshot(DownloadCore.UNKNOWN_LENGTH, List.of(), null).etaMillis()).isEqualTo(-1);
        assertThat(tally.snapshot(200, List.of(), null).bytesPerSecond()).as("no rate is shown as 0").isZero();
    }

    @Test
    void aWriteOverThatReportsFewerBytesHeldThanBeforeDoesNotLowerTheCount() {
        DownloadTally tally = new DownloadTally();
        tally.held(3_000);
        tally.held(2_000);
        assertThat(tally.bytesDone()).isEqualTo(3_000);
    }

    @Test
    void theSnapshotCountsTheConnectedHoldersAndListsEachInOrderWithTheDuplicatesAndRejections() {
        DownloadTally tally = new DownloadTally();
        tally.duplicate(16_384);
        tally.duplicate(100);
        tally.rejected();
        Holder connected = new Holder(0, new InetSocketAddress("127.0.0.1", 1000));
        connected.state = PeerProgress.State.CONNECTED;
        Holder waiting = new Holder(1, new InetSocketAddress("127.0.0.1", 1001));
        DownloadProgress p = tally.snapshot(1 << 20, List.of(connected, waiting), null);
        assertThat(p.peersConnected()).isEqualTo(1);
        assertThat(p.peers()).extracting(PeerProgress::address).containsExactly(connected.address, waiting.address);
        assertThat(p.duplicateBytes()).isEqualTo(16_484);
        assertThat(p.rejectedSpans()).isEqualTo(1);
    }
}
