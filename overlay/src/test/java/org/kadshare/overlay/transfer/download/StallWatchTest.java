package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.transfer.schedule.BusyBackoff;
import org.kadshare.overlay.transfer.schedule.SpanRequest;

/** The stall clock of each holder alone, in time set by hand. */
class StallWatchTest {
    private static final long MS = 1_000_000L;
    private static final long TIMEOUT_MILLIS = 1_000;

    private static HolderSet twoHolders() {
        HolderSet holders = new HolderSet(new BusyBackoff(100), 8);
        holders.know(new InetSocketAddress("127.0.0.1", 1000));
        holders.know(new InetSocketAddress("127.0.0.1", 1001));
        return holders;
    }

    private static SpanRequest lateSpanOf(int peer) {
        return new SpanRequest(7, peer, 0, 0, 0, 1, 16_384, 0, false);
    }

    @Test
    void aHolderStalledWithoutABreakForLongerThanTheTimeoutIsToBeDropped() {
        HolderSet holders = twoHolders();
        StallWatch watch = new StallWatch(TIMEOUT_MILLIS);
        watch.found(List.of(lateSpanOf(1)), holders, 100 * MS);
        watch.found(List.of(lateSpanOf(1)), holders, 600 * MS); // its clock runs from the first find
        Holder stalled = holders.get(1);
        assertThat(watch.check(stalled, true, 1100 * MS)).isNull();
        assertThat(watch.check(stalled, true, 1100 * MS + 1)).isEqualTo("stalled for more than 1000 ms");
        assertThat(watch.check(holders.get(0), true, 1100 * MS + 1))
                .as("a holder with no late span found has no clock running").isNull();
    }

    @Test
    void aDeliveryOrATickNotStalledRestartsTheClock() {
        HolderSet holders = twoHolders();
        StallWatch watch = new StallWatch(TIMEOUT_MILLIS);
        Holder h = holders.get(0);
        watch.found(List.of(lateSpanOf(0)), holders, 0);
        watch.delivered(h);
        watch.found(List.of(lateSpanOf(0)), holders, 500 * MS);
        assertThat(watch.check(h, true, 1200 * MS)).as("clock from 500 ms, after the delivery").isNull();
        assertThat(watch.check(h, false, 1300 * MS)).isNull();
        watch.found(List.of(lateSpanOf(0)), holders, 1400 * MS);
        assertThat(watch.check(h, true, 2300 * MS)).isNull();
        assertThat(watch.check(h, true, 2500 * MS)).isNotNull();
    }
}
