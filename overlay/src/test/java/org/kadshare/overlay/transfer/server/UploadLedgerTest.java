package org.kadshare.overlay.transfer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.transfer.PeerClass;
import org.kadshare.storage.ContentId;

class UploadLedgerTest {
    private static final ContentId ID = ContentId.of(new byte[ContentId.LENGTH_BYTES]);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.9", 5000);
    private static final InetSocketAddress LAN = new InetSocketAddress("192.168.1.20", 5000);

    private final UploadLedger ledger = new UploadLedger();

    @Test
    void anOpenSessionShowsItsPeerBytesAndAverageRateAndLeavesWhenItEnds() {
        UploadSession s = ledger.begin(LOCAL, ID, 10_000, 1_000_000_000L);
        ledger.served(s, 4096);
        ledger.served(s, 4096);

        assertThat(ledger.open(3_000_000_000L)).singleElement().satisfies(u -> {
            assertThat(u.sessionNumber()).isEqualTo(1);
            assertThat(u.peer()).isEqualTo(LOCAL);
            assertThat(u.lengthBytes()).isEqualTo(10_000);
            assertThat(u.bytesServed()).isEqualTo(8192);
            assertThat(u.spansServed()).isEqualTo(2);
            assertThat(u.elapsedMillis()).isEqualTo(2000);
            assertThat(u.bytesPerSecond()).isEqualTo(4096.0);
        });
        ledger.end(s, 3_000_000_000L);
        ledger.end(s, 4_000_000_000L);
        assertThat(ledger.open(5_000_000_000L)).isEmpty();
    }

    @Test
    void totalsPerContentAndBytesPerPeerClassOutliveTheSessions() {
        UploadSession a = ledger.begin(LOCAL, ID, 10_000, 0);
        UploadSession b = ledger.begin(LAN, ID, 10_000, 0);
        ledger.served(a, 100);
        ledger.served(b, 300);
        ledger.end(a, 1);
        ledger.end(b, 1);

        assertThat(ledger.totals(ID)).hasValue(new UploadTotals(400, 2, 2));
        assertThat(ledger.totals(ContentId.of(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}))).isEmpty();
        assertThat(ledger.bytesTo(PeerClass.LOOPBACK)).isEqualTo(100);
        assertThat(ledger.bytesTo(PeerClass.PRIVATE)).isEqualTo(300);
        assertThat(ledger.bytesTo(PeerClass.PUBLIC)).isZero();
    }

    @Test
    void sessionsAreListedInTheOrderTheyBegan() {
        ledger.begin(LAN, ID, 1, 0);
        ledger.begin(LOCAL, ID, 1, 0);
        ledger.begin(LAN, ID, 1, 0);
        assertThat(ledger.open(0)).extracting(UploadSnapshot::sessionNumber).containsExactly(1L, 2L, 3L);
    }
}
