package org.kadshare.overlay.transfer.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.kadshare.storage.MerkleTree;

class DownloadScheduleTest {
    private static final long MS = 1_000_000L;
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;
    private static final ScheduleConfig CONFIG = ScheduleConfig.defaults().withStallNanos(200 * MS, 1000 * MS);

    private static BitSet all(long lengthBytes) {
        BitSet b = new BitSet();
        b.set(0, (int) MerkleTree.leafCount(lengthBytes));
        return b;
    }

    private static void verifyAll(DownloadSchedule s, List<SpanRequest> requests, long now) {
        for (SpanRequest r : requests) {
            if (s.onArrived(r.id(), now)) {
                s.onVerified(r.id());
            }
        }
    }

    @Test
    void aDownloadDrivenToTheEndHoldsEveryLeafAndFastPeersServeProportionatelyMore() {
        long length = 64L << 20;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        double[] mibPerSecond = {40, 10, 10, 2};
        for (int p = 0; p < mibPerSecond.length; p++) {
            s.addPeer(p, all(length), 0);
            s.observeRtt(p, 2 * MS, 0);
        }
        // each peer serves its requests one after the other at its own rate
        long[] busyUntil = new long[mibPerSecond.length];
        long[] bytesServed = new long[mibPerSecond.length];
        TreeMap<Long, List<SpanRequest>> arrivals = new TreeMap<>();
        long now = 0;
        for (int p = 0; p < mibPerSecond.length; p++) {
            schedule(s, p, now, mibPerSecond, busyUntil, arrivals);
        }
        while (!s.isComplete()) {
            var next = arrivals.pollFirstEntry();
            assertThat(next).as("the download ran dry before completing").isNotNull();
            now = next.getKey();
            for (SpanRequest r : next.getValue()) {
                if (s.onArrived(r.id(), now)) {
                    bytesServed[r.peer()] += r.lengthBytes();
                    s.onVerified(r.id());
                }
                schedule(s, r.peer(), now, mibPerSecond, busyUntil, arrivals);
            }
        }
        assertThat(s.heldLeaves()).isEqualTo(MerkleTree.leafCount(length));
        assertThat(s.spanHeightFor(0)).isGreaterThan(s.spanHeightFor(3));
        double fastShare = bytesServed[0] / (double) length;
        double slowShare = bytesServed[3] / (double) length;
        // rates are 40:10:10:2 of 62, so the fast peer should serve about 65 % and the slow one about 3 %
        assertThat(fastShare).isBetween(0.5, 0.8);
        assertThat(slowShare).isBetween(0.0, 0.1);
        assertThat(bytesServed[1]).isGreaterThan(bytesServed[3]);
    }

    @Test
    void twoPeersAtTheSameDistanceAndRateBothKeepGettingWorkToTheEnd() {
        // The tail rule holds a peer back only for one that would bring a span in sooner: between
        // equal peers neither waits for the other (a first form let each leave the rest to the
        // other, and the download stopped).
        long length = 16L << 20;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        double[] mibPerSecond = {10, 10};
        for (int p = 0; p < 2; p++) {
            s.addPeer(p, all(length), 0);
            s.observeRtt(p, 2 * MS, 0);
        }
        long[] busyUntil = new long[2];
        TreeMap<Long, List<SpanRequest>> arrivals = new TreeMap<>();
        long[] served = new long[2];
        for (int p = 0; p < 2; p++) {
            schedule(s, p, 0, mibPerSecond, busyUntil, arrivals);
        }
        while (!s.isComplete()) {
            var next = arrivals.pollFirstEntry();
            assertThat(next).as("the download ran dry before completing").isNotNull();
            for (SpanRequest r : next.getValue()) {
                if (s.onArrived(r.id(), next.getKey())) {
                    served[r.peer()] += r.lengthBytes();
                    s.onVerified(r.id());
                }
                schedule(s, r.peer(), next.getKey(), mibPerSecond, busyUntil, arrivals);
            }
        }
        assertThat(served[0]).isBetween(6L << 20, 10L << 20);
        assertThat(served[1]).isBetween(6L << 20, 10L << 20);
    }

    @Test
    void aFarPeerIsGivenNoneOfTheLastFreeSpansANearPeerWouldBringInSooner() {
        // a resumed 8 MiB download missing its last 2 MiB, from a near (10 ms) and a far (300 ms)
        // peer at 10 MiB/s each
        long length = 8L << 20;
        BitSet held = new BitSet();
        held.set(0, 384);
        DownloadSchedule s = new DownloadSchedule(length, held, CONFIG);
        s.addPeer(0, all(length), 0);
        s.addPeer(1, all(length), 0);
        s.observeRtt(0, 10 * MS, 0);
        s.observeRtt(1, 300 * MS, 0);
        deliverAt10MiBPerSecond(s, s.nextRequests(0, 0), 10 * MS);
        deliverAt10MiBPerSecond(s, s.nextRequests(1, 0), 300 * MS);
        long now = 400 * MS;
        long free = length - s.heldLeaves() * L;
        assertThat(free).isEqualTo(3L << 19);
        // anything asked of the far peer now arrives after 300 ms; by then the near one brings 3 MiB
        assertThat(s.nextRequests(1, now)).as("requests for the far peer").isEmpty();
        assertThat(s.nextRequests(0, now)).as("requests for the near peer").isNotEmpty();
    }

    private static void deliverAt10MiBPerSecond(DownloadSchedule s, List<SpanRequest> requests, long firstAt) {
        long at = firstAt;
        for (SpanRequest r : requests) {
            at += (long) (r.lengthBytes() * 1e9 / (10 << 20));
            assertThat(s.onArrived(r.id(), at)).isTrue();
            s.onVerified(r.id());
        }
    }

    private static void schedule(DownloadSchedule s, int peer, long now, double[] mibPerSecond, long[] busyUntil,
            TreeMap<Long, List<SpanRequest>> arrivals) {
        for (SpanRequest r : s.nextRequests(peer, now)) {
            long start = Math.max(now + MS, busyUntil[peer]);
            long done = start + (long) (r.lengthBytes() / (mibPerSecond[peer] * (1 << 20)) * 1e9) + 1;
            busyUntil[peer] = done;
            arrivals.computeIfAbsent(done + MS, k -> new ArrayList<>()).add(r);
        }
    }

    @Test
    void leavesHeldAtTheStartAreNeverRequested() {
        long length = 32L * L;
        BitSet held = new BitSet();
        held.set(0, 30);
        DownloadSchedule s = new DownloadSchedule(length, held, CONFIG);
        s.addPeer(0, all(length), 0);
        List<SpanRequest> requests = s.nextRequests(0, 0);
        assertThat(requests).extracting(SpanRequest::firstLeaf).containsExactly(30L);
        assertThat(requests.get(0).leafCount()).isEqualTo(2);
    }

    @Test
    void aStalledPeersSpansAreGivenToAnotherPeerAndItGetsNoMoreWork() {
        long length = 8L * L;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        s.addPeer(0, all(length), 0);
        List<SpanRequest> stuck = s.nextRequests(0, 0);
        assertThat(stuck).isNotEmpty();
        s.addPeer(1, all(length), 0);
        assertThat(s.nextRequests(1, 0)).as("peer 0 has everything in flight and is not stalled yet")
                .allMatch(SpanRequest::duplicate);
        DownloadSchedule fresh = new DownloadSchedule(length, new BitSet(), CONFIG);
        fresh.addPeer(0, all(length), 0);
        List<SpanRequest> stalled = fresh.nextRequests(0, 0);
        assertThat(fresh.findStalls(999 * MS)).isEmpty();
        assertThat(fresh.findStalls(1001 * MS)).containsExactlyElementsOf(stalled);
        assertThat(fresh.isStalled(0)).isTrue();
        assertThat(fresh.nextRequests(0, 1001 * MS)).isEmpty();
        fresh.addPeer(1, all(length), 1001 * MS);
        List<SpanRequest> taken = fresh.nextRequests(1, 1001 * MS);
        assertThat(taken).noneMatch(SpanRequest::duplicate);
        assertThat(taken.stream().mapToLong(SpanRequest::leafCount).sum()).isEqualTo(8);
        verifyAll(fresh, taken, 1100 * MS);
        assertThat(fresh.isComplete()).isTrue();
    }

    @Test
    void aLateReplyFromAStalledPeerStillCountsAndCancelsTheCopies() {
        long length = 4L * L;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        s.addPeer(0, all(length), 0);
        SpanRequest slow = s.nextRequests(0, 0).get(0);
        s.findStalls(2000 * MS);
        s.addPeer(1, all(length), 2000 * MS);
        List<SpanRequest> retry = s.nextRequests(1, 2000 * MS);
        assertThat(s.onArrived(slow.id(), 2100 * MS)).isTrue();
        assertThat(s.isStalled(0)).isFalse();
        List<SpanRequest> cancelled = s.onVerified(slow.id());
        assertThat(cancelled).containsExactlyInAnyOrderElementsOf(retry);
        assertThat(s.isComplete()).isTrue();
    }

    @Test
    void inTheEndgameIdlePeersGetCopiesAndTheLosersAreCancelled() {
        long length = 4L * L;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        s.addPeer(0, all(length), 0);
        List<SpanRequest> first = s.nextRequests(0, 0);
        assertThat(first).hasSize(1);
        s.addPeer(1, all(length), 0);
        s.addPeer(2, all(length), 0);
        List<SpanRequest> copy1 = s.nextRequests(1, 0);
        assertThat(copy1).singleElement().satisfies(r -> {
            assertThat(r.duplicate()).isTrue();
            assertThat(r.sameSpan(first.get(0))).isTrue();
        });
        assertThat(s.nextRequests(2, 0)).as("at most two copies of a span").isEmpty();
        assertThat(s.duplicatesIssued()).isEqualTo(1);
        s.onArrived(copy1.get(0).id(), MS);
        assertThat(s.onVerified(copy1.get(0).id())).containsExactlyElementsOf(first);
        assertThat(s.liveRequests()).isEmpty();
        assertThat(s.onArrived(first.get(0).id(), 2 * MS)).as("the cancelled original is dropped").isFalse();
    }

    @Test
    void aPeerThatSentABadSpanIsBannedAndItsSpansGoBackToThePool() {
        long length = 16L * L;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        s.addPeer(0, all(length), 0);
        s.addPeer(1, all(length), 0);
        List<SpanRequest> bad = s.nextRequests(0, 0);
        s.onArrived(bad.get(0).id(), MS);
        List<SpanRequest> dropped = s.onRejected(bad.get(0).id());
        assertThat(dropped).containsExactlyElementsOf(bad.subList(1, bad.size()));
        assertThat(s.isBanned(0)).isTrue();
        assertThat(s.hasPeer(0)).isFalse();
        assertThat(s.nextRequests(0, 2 * MS)).isEmpty();
        assertThat(s.addPeer(0, all(length), 2 * MS)).as("a banned peer cannot come back").isFalse();
        assertThat(s.nextRequests(0, 3 * MS)).isEmpty();
        long now = 3 * MS;
        while (!s.isComplete()) {
            List<SpanRequest> batch = s.nextRequests(1, now);
            assertThat(batch).isNotEmpty().allMatch(r -> r.peer() == 1);
            verifyAll(s, batch, now += MS);
        }
    }

    @Test
    void aDisconnectedPeersSpansAreReassigned() {
        long length = 64L * L;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        s.addPeer(0, all(length), 0);
        s.addPeer(1, all(length), 0);
        List<SpanRequest> lost = s.nextRequests(0, 0);
        List<SpanRequest> kept = s.nextRequests(1, 0);
        assertThat(s.onPeerGone(0)).containsExactlyElementsOf(lost);
        verifyAll(s, kept, MS);
        List<SpanRequest> again = s.nextRequests(1, MS);
        assertThat(again).noneMatch(SpanRequest::duplicate);
        BitSet lostLeaves = new BitSet();
        lost.forEach(r -> lostLeaves.set((int) r.firstLeaf(), (int) r.endLeaf()));
        BitSet askedAgain = new BitSet();
        again.forEach(r -> askedAgain.set((int) r.firstLeaf(), (int) r.endLeaf()));
        lostLeaves.andNot(askedAgain);
        assertThat(lostLeaves.isEmpty()).as("leaves lost with peer 0 and not asked again: " + lostLeaves).isTrue();
    }

    @Test
    void aReplyAlreadyArrivedStillCountsAfterItsPeerDisconnects() {
        long length = 4L * L;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        s.addPeer(0, all(length), 0);
        SpanRequest r = s.nextRequests(0, 0).get(0);
        s.onArrived(r.id(), MS);
        s.onPeerGone(0);
        s.onVerified(r.id());
        assertThat(s.isComplete()).isTrue();
    }

    @Test
    void aPartialHolderIsOnlyAskedForWhatItHoldsAndLearnsNewLeavesFromHave() {
        long length = 8L * L;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        BitSet firstHalf = new BitSet();
        firstHalf.set(0, 4);
        s.addPeer(0, firstHalf, 0);
        List<SpanRequest> before = s.nextRequests(0, 0);
        assertThat(before).allMatch(r -> r.endLeaf() <= 4);
        verifyAll(s, before, MS);
        assertThat(s.nextRequests(0, MS)).isEmpty();
        s.peerHas(0, 4, 4);
        List<SpanRequest> after = s.nextRequests(0, MS);
        assertThat(after).isNotEmpty().allMatch(r -> r.firstLeaf() >= 4);
    }

    @Test
    void aChokedPeerGetsNothingAndItsSpansGoElsewhereUntilItUnchokes() {
        long length = 16L * L;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        s.addPeer(0, all(length), 0);
        List<SpanRequest> held = s.nextRequests(0, 0);
        assertThat(s.onChoked(0)).containsExactlyElementsOf(held);
        assertThat(s.nextRequests(0, MS)).isEmpty();
        assertThat(s.findStalls(10_000 * MS)).as("a choked peer is not stalled").isEmpty();
        s.addPeer(1, all(length), MS);
        assertThat(s.nextRequests(1, MS)).noneMatch(SpanRequest::duplicate).isNotEmpty();
        s.onUnchoked(0, 10_000 * MS);
        assertThat(s.isChoked(0)).isFalse();
        s.findStalls(10_001 * MS);
        assertThat(s.isStalled(0)).as("the stall clock restarts at the unchoke").isFalse();
    }

    @Test
    void aCopyThatArrivedAndAwaitsVerificationIsNotCopiedAgain() {
        long length = 4L * L;
        DownloadSchedule s = new DownloadSchedule(length, new BitSet(), CONFIG);
        s.addPeer(0, all(length), 0);
        s.addPeer(1, all(length), 0);
        s.nextRequests(0, 0);
        SpanRequest copy = s.nextRequests(1, 0).get(0);
        s.onArrived(copy.id(), MS);
        assertThat(s.nextRequests(1, MS)).isEmpty();
    }
}
