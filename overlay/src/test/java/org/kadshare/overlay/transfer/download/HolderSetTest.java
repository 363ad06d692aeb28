package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.transfer.schedule.BusyBackoff;

/** The holder bookkeeping alone: which holders to connect, BUSY pauses, making room. Time is by hand. */
class HolderSetTest {
    private static final long MS = 1_000_000L;

    private static InetSocketAddress address(int i) {
        return new InetSocketAddress("127.0.0." + (1 + i / 250), 1000 + i);
    }

    private static HolderSet holders(int count, int maxConnections) {
        HolderSet set = new HolderSet(new BusyBackoff(100), maxConnections);
        for (int i = 0; i < count; i++) {
            assertThat(set.know(address(i))).isTrue();
        }
        return set;
    }

    private static List<Integer> peers(List<Holder> holders) {
        return holders.stream().map(h -> h.peer).toList();
    }

    @Test
    void aHolderIsKnownOnceAndNumberedInTheOrderItCame() {
        HolderSet set = holders(3, 8);
        assertThat(set.know(address(1))).isFalse();
        assertThat(set.size()).isEqualTo(3);
        assertThat(set.get(2).address).isEqualTo(address(2));
        assertThat(peers(set.all())).containsExactly(0, 1, 2);
    }

    @Test
    void beyondThePendingLimitNoHolderIsKnownUntilOneDropsOut() {
        HolderSet set = holders(HolderSet.MAX_PENDING_HOLDERS, 8);
        assertThat(set.know(address(HolderSet.MAX_PENDING_HOLDERS))).isFalse();
        set.get(0).state = PeerProgress.State.FAILED;
        assertThat(set.know(address(HolderSet.MAX_PENDING_HOLDERS))).isTrue();
    }

    @Test
    void theWaitingHoldersAreConnectedInOrderUpToTheConnectionLimit() {
        HolderSet set = holders(5, 3);
        set.get(0).state = PeerProgress.State.CONNECTED;
        assertThat(peers(set.toConnect(0))).containsExactly(1, 2);
        set.toConnect(0).forEach(h -> h.state = PeerProgress.State.CONNECTING);
        assertThat(set.toConnect(0)).isEmpty();
    }

    @Test
    void aWaitingHolderInABusyPauseIsConnectedOnlyOnceThePauseIsOver() {
        HolderSet set = holders(2, 8);
        Holder busy = set.get(0);
        assertThat(set.busy(busy, "refused the connection as BUSY", 0)).isNull();
        assertThat(busy.failure).isEqualTo("refused the connection as BUSY; trying again in 100 ms");
        assertThat(peers(set.toConnect(99 * MS))).containsExactly(1);
        set.get(1).state = PeerProgress.State.CONNECTING;
        assertThat(peers(set.toConnect(100 * MS))).containsExactly(0);
        assertThat(busy.busyUntilNanos).isEqualTo(-1);
    }

    @Test
    void theBusyPauseDoublesAndTheHolderIsGivenUpAfterTooManyInARow() {
        HolderSet set = holders(1, 8);
        Holder h = set.get(0);
        long now = 0;
        for (int i = 1; i < BusyBackoff.MAX_BUSY_IN_A_ROW; i++) {
            assertThat(set.busy(h, "answered BUSY to a span", now)).isNull();
            long pauseNanos = h.busyUntilNanos - now;
            assertThat(pauseNanos).isEqualTo(Math.min(BusyBackoff.MAX_PAUSE_MILLIS, 100L << (i - 1)) * MS);
            assertThat(set.pausing(h, h.busyUntilNanos - 1)).isTrue();
            now = h.busyUntilNanos;
            assertThat(set.pausing(h, now)).isFalse();
        }
        assertThat(set.busy(h, "answered BUSY to a span", now))
                .isEqualTo("answered BUSY to a span " + BusyBackoff.MAX_BUSY_IN_A_ROW + " times in a row");
    }

    @Test
    void atTheLimitTheHolderUselessTheLongestMakesRoomForOneThatWaits() {
        HolderSet set = holders(4, 3);
        for (int i = 0; i < 3; i++) {
            set.get(i).state = PeerProgress.State.CONNECTED;
        }
        long second = HolderSet.USELESS_MILLIS * MS;
        assertThat(set.toMakeRoom(0, peer -> peer == 1)).isNull(); // 1 useless from 0
        assertThat(set.toMakeRoom(10 * MS, peer -> peer != 0)).isNull(); // 2 useless from 10 ms
        assertThat(set.toMakeRoom(second - MS, peer -> peer != 0)).isNull(); // not for long enough yet
        Holder released = set.toMakeRoom(second + 10 * MS, peer -> peer != 0);
        assertThat(released.peer).isEqualTo(1);
        assertThat(released.busyUntilNanos).isEqualTo(second + 10 * MS + HolderSet.USELESS_RETRY_MILLIS * MS);
        assertThat(released.uselessSinceNanos).isEqualTo(-1);
    }

    @Test
    void noHolderMakesRoomBelowTheLimitOrWhenNoneWaitsOrAfterItBecameUseful() {
        HolderSet below = holders(4, 4);
        for (int i = 0; i < 3; i++) {
            below.get(i).state = PeerProgress.State.CONNECTED;
        }
        below.toMakeRoom(0, peer -> true);
        assertThat(below.toMakeRoom(10 * HolderSet.USELESS_MILLIS * MS, peer -> true)).isNull();

        HolderSet noneWaits = holders(3, 3);
        noneWaits.all().forEach(h -> h.state = PeerProgress.State.CONNECTED);
        noneWaits.toMakeRoom(0, peer -> true);
        assertThat(noneWaits.toMakeRoom(10 * HolderSet.USELESS_MILLIS * MS, peer -> true)).isNull();

        HolderSet useful = holders(4, 3);
        for (int i = 0; i < 3; i++) {
            useful.get(i).state = PeerProgress.State.CONNECTED;
        }
        useful.toMakeRoom(0, peer -> true);
        useful.toMakeRoom(MS, peer -> false); // each gained something wanted: their clocks restart
        assertThat(useful.toMakeRoom(HolderSet.USELESS_MILLIS * MS, peer -> true)).isNull();
        assertThat(useful.toMakeRoom(2 * HolderSet.USELESS_MILLIS * MS, peer -> true).peer).isEqualTo(0);
    }

    @Test
    void aHolderStillConnectingOrWaitingKeepsTheRunGoingAndTheFailuresNameEachInOrder() {
        HolderSet set = holders(2, 8);
        set.get(0).state = PeerProgress.State.FAILED;
        set.get(0).failure = "disconnected";
        assertThat(set.anyLeft()).isTrue();
        set.get(1).state = PeerProgress.State.BANNED;
        set.get(1).failure = "sent a bad span";
        assertThat(set.anyLeft()).isFalse();
        assertThat(set.failures()).containsExactly(
                java.util.Map.entry(address(0), "FAILED: disconnected"),
                java.util.Map.entry(address(1), "BANNED: sent a bad span"));
    }
}
