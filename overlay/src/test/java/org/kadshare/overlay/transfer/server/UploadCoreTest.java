package org.kadshare.overlay.transfer.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.wire.Cancel;
import org.kadshare.overlay.transfer.wire.Choke;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.GetHashes;
import org.kadshare.overlay.transfer.wire.GetSpan;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Have;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.LeafRange;
import org.kadshare.overlay.transfer.wire.Unchoke;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;

/** The upload session's decisions, in virtual time, without sockets or disk. */
class UploadCoreTest {
    private static final long MS = 1_000_000;
    private static final ContentId HELD = ContentId.of(filled(1));
    private static final ContentId OTHER = ContentId.of(filled(2));
    private static final long LENGTH = 512L * MerkleTree.LEAF_SIZE_BYTES;
    private static final NodeId US = NodeId.of(new byte[20]);
    private static final NodeId THEM = NodeId.of(java.util.Arrays.copyOf(filled(9), 20));
    private static final ServerConfig CONFIG = ServerConfig.defaults().toBuilder().uploadSlots(2)
            .maxOutstandingPerPeer(4).handshakeTimeoutMillis(5_000).idleTimeoutMillis(60_000)
            .progressGraceMillis(10_000).minProgressBytesPerSecond(4_096).slotLingerMillis(100).build();

    private long nowNanos = 1_000 * MS;
    private long sequence;
    private final PriorityQueue<Timed> timers = new PriorityQueue<>();
    private final UploadScheduler scheduler = new UploadScheduler(CONFIG.uploadSlots(), CONFIG.slotLingerMillis(), 0,
            () -> nowNanos, (delay, task) -> timers.add(new Timed(nowNanos + delay, sequence++, task)));

    private record Timed(long atNanos, long sequence, Runnable task) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed o) {
            return atNanos != o.atNanos ? Long.compare(atNanos, o.atNanos) : Long.compare(sequence, o.sequence);
        }
    }

    private static byte[] filled(int b) {
        byte[] bytes = new byte[ContentId.LENGTH_BYTES];
        java.util.Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    /** Moves virtual time on by {@code millis}, running the timers due. */
    private void advance(long millis) {
        long end = nowNanos + millis * MS;
        while (!timers.isEmpty() && timers.peek().atNanos() <= end) {
            Timed t = timers.poll();
            nowNanos = Math.max(nowNanos, t.atNanos());
            t.task().run();
        }
        nowNanos = end;
    }

    /** One connection's world: what the core sent, read and closed, with the reads completed by hand. */
    private final class Peer implements UploadEnvironment {
        final List<Frame> sent = new ArrayList<>();
        final List<PendingRequest> reads = new ArrayList<>();
        final List<Object> replies = new ArrayList<>();
        final List<Object> discarded = new ArrayList<>();
        int distrusted;
        String closedWith;
        ErrorCode closeCode;
        boolean drainedFirst;
        final UploadCore core;

        Peer(String ip) throws Exception {
            core = new UploadCore(this, scheduler, CONFIG, US, InetAddress.getByName(ip));
        }

        @Override
        public long nowNanos() {
            return nowNanos;
        }

        @Override
        public UploadCore.Offer offer(ContentId id) {
            return id.equals(HELD) ? UploadCore.Offer.of(LENGTH, Holdings.complete())
                    : UploadCore.Offer.refused(ErrorCode.NOT_HELD, "this node does not hold " + id);
        }

        @Override
        public void send(Frame frame) {
            sent.add(frame);
        }

        @Override
        public void read(PendingRequest request) {
            reads.add(request);
        }

        @Override
        public void sendReply(Object reply) {
            replies.add(reply);
        }

        @Override
        public void discardReply(Object reply) {
            discarded.add(reply);
        }

        @Override
        public void distrust() {
            distrusted++;
        }

        @Override
        public void sessionBegan(ContentId id, long lengthBytes) {
        }

        @Override
        public void close(ErrorCode code, String reason, boolean drainFirst) {
            closeCode = code;
            closedWith = reason;
            drainedFirst = drainFirst;
            core.closed();
        }

        Peer handshaken() {
            core.frameIn(new Handshake(THEM, HELD, Handshake.UNKNOWN_LENGTH, Holdings.none()));
            return this;
        }

        /** Completes the oldest read not answered yet, then drains its reply. */
        void serveOne() {
            PendingRequest r = reads.get(replies.size());
            core.replyRead(r, "reply-" + r.requestId());
            core.replyDrained();
        }

        List<ErrorCode> refusals() {
            return sent.stream().filter(f -> f instanceof ErrorFrame).map(f -> ((ErrorFrame) f).code()).toList();
        }
    }

    @Test
    void aHandshakeForHeldContentIsAnsweredWithItsLengthAndOtherContentIsRefusedAndClosed() throws Exception {
        Peer p = new Peer("10.0.0.1").handshaken();
        assertThat(p.sent).containsExactly(new Handshake(US, HELD, LENGTH, Holdings.complete()));

        Peer q = new Peer("10.0.0.2");
        q.core.frameIn(new Handshake(THEM, OTHER, Handshake.UNKNOWN_LENGTH, Holdings.none()));
        assertThat(q.closeCode).isEqualTo(ErrorCode.NOT_HELD);
        assertThat(q.drainedFirst).isTrue();
    }

    @Test
    void aHandshakeGivingAnotherLengthOrAFirstFrameThatIsNoHandshakeIsRefusedAsABadRequest() throws Exception {
        Peer wrong = new Peer("10.0.0.1");
        wrong.core.frameIn(new Handshake(THEM, HELD, LENGTH + 1, Holdings.none()));
        assertThat(wrong.closeCode).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(wrong.closedWith).contains("is " + LENGTH + " bytes, not " + (LENGTH + 1));

        Peer early = new Peer("10.0.0.2");
        early.core.frameIn(new GetSpan(1, 0, 0));
        assertThat(early.closedWith).contains("the first frame must be a HANDSHAKE");
    }

    @Test
    void requestsPastTheFileOrPastTheLimitsAreRefusedWithTheReasonAndTheConnectionStays() throws Exception {
        Peer p = new Peer("10.0.0.1").handshaken();
        p.core.frameIn(new GetSpan(1, 0, 512));
        p.core.frameIn(new GetSpan(2, 10, 0));
        p.core.frameIn(new GetSpan(3, 9, 0));
        assertThat(p.refusals()).containsExactly(ErrorCode.BAD_REQUEST, ErrorCode.BAD_REQUEST, ErrorCode.TOO_LARGE);
        assertThat(p.closeCode).isNull();
        p.core.frameIn(new GetSpan(4, 8, 0));
        assertThat(p.reads).extracting(PendingRequest::requestId).containsExactly(4);
    }

    @Test
    void aPeerQueueingMoreThanItsLimitIsToldBusyAndADuplicateRequestIdIsRefused() throws Exception {
        Peer p = new Peer("10.0.0.1").handshaken();
        for (int id = 1; id <= 6; id++) {
            p.core.frameIn(new GetSpan(id, 0, id));
        }
        // one is being read, four queued: the sixth is over the limit of 4
        assertThat(p.refusals()).containsExactly(ErrorCode.BUSY);
        p.core.frameIn(new GetSpan(3, 0, 3));
        assertThat(p.refusals()).containsExactly(ErrorCode.BUSY, ErrorCode.BAD_REQUEST);
    }

    @Test
    void oneReplyIsReadAtATimeAndTheNextComesOnceTheFirstIsDrained() throws Exception {
        Peer p = new Peer("10.0.0.1").handshaken();
        p.core.frameIn(new GetSpan(1, 0, 0));
        p.core.frameIn(new GetHashes(2, 6, 0));
        assertThat(p.reads).extracting(PendingRequest::requestId).containsExactly(1);
        p.serveOne();
        assertThat(p.replies).containsExactly("reply-1");
        assertThat(p.reads).extracting(PendingRequest::requestId).containsExactly(1, 2);
        assertThat(p.reads.get(1).replyBytes()).isEqualTo(64L * MerkleTree.HASH_LENGTH_BYTES);
    }

    @Test
    void aReplyCancelledWhileItIsReadIsNotSentAndAQueuedOneIsDropped() throws Exception {
        Peer p = new Peer("10.0.0.1").handshaken();
        p.core.frameIn(new GetSpan(1, 0, 0));
        p.core.frameIn(new GetSpan(2, 0, 1));
        p.core.frameIn(new GetSpan(3, 0, 2));
        p.core.frameIn(new Cancel(1));
        p.core.frameIn(new Cancel(2));
        p.core.replyRead(p.reads.get(0), "reply-1");
        assertThat(p.replies).isEmpty();
        assertThat(p.discarded).as("handed back, so a buffer it holds is released").containsExactly("reply-1");
        assertThat(p.reads).extracting(PendingRequest::requestId).containsExactly(1, 3);
    }

    /** Three peers of three addresses, each asking for one span: the first two take the two slots. */
    private List<Peer> threePeersAskingOneSpanEach() throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Peer p = new Peer("10.0.0." + i).handshaken();
            p.core.frameIn(new GetSpan(1, 0, 0));
            peers.add(p);
        }
        return peers;
    }

    @Test
    void withTheSlotsTakenAThirdPeerIsChokedAndUnchokedOnceASlotIsLeftIdlePastTheLinger() throws Exception {
        List<Peer> three = threePeersAskingOneSpanEach();
        Peer a = three.get(0);
        Peer c = three.get(2);
        assertThat(c.sent).last().isInstanceOf(Choke.class);
        assertThat(c.reads).isEmpty();

        a.serveOne();
        advance(99);
        assertThat(c.core.hasSlot()).as("the slot lingers with its idle holder").isFalse();
        advance(1);
        assertThat(c.sent).last().isInstanceOf(Unchoke.class);
        assertThat(c.reads).extracting(PendingRequest::requestId).containsExactly(1);
    }

    /**
     * Regression: a choked peer whose queued requests were all withdrawn (the downloader fetched
     * those leaves elsewhere) was dropped from the waiters and never unchoked, and a downloader
     * asks nothing of a holder that choked it: the connection sat idle until the idle timeout
     * (seen in the swarm simulator as a get left with no holder).
     */
    @Test
    void aChokedPeerThatWithdrewItsRequestsIsUnchokedWhenASlotFreesAndServedWhenItAsksAgain() throws Exception {
        List<Peer> three = threePeersAskingOneSpanEach();
        Peer a = three.get(0);
        Peer c = three.get(2);
        c.core.frameIn(new Cancel(1));
        assertThat(c.sent).last().isInstanceOf(Choke.class);

        a.serveOne();
        advance(100);
        assertThat(c.sent).last().isInstanceOf(Unchoke.class);
        c.core.frameIn(new GetSpan(2, 0, 1));
        assertThat(c.reads).extracting(PendingRequest::requestId).containsExactly(2);
    }

    @Test
    void anAddressWithManyConnectionsGetsNoMoreSlotsThanAnAddressWithOne() throws Exception {
        List<Peer> greedy = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Peer p = new Peer("10.0.0.1").handshaken();
            greedy.add(p);
            for (int id = 1; id <= 4; id++) {
                p.core.frameIn(new GetSpan(id, 0, id));
            }
        }
        Peer lone = new Peer("10.0.0.9").handshaken();
        lone.core.frameIn(new GetSpan(1, 0, 0));
        assertThat(lone.sent).last().isInstanceOf(Choke.class);

        greedy.get(0).serveOne();
        assertThat(lone.core.hasSlot()).as("a holder of an address with two slots yields to one with none").isTrue();
        assertThat(lone.reads).extracting(PendingRequest::requestId).containsExactly(1);
        assertThat(greedy.stream().filter(p -> p.core.hasSlot()).count()).isEqualTo(1);
    }

    @Test
    void aBadDataComplaintMakesTheContentDistrustedAndTheConnectionStays() throws Exception {
        Peer p = new Peer("10.0.0.1").handshaken();
        p.core.frameIn(ErrorFrame.connection(ErrorCode.BAD_DATA, "span (0, 3) failed verification"));
        assertThat(p.distrusted).isEqualTo(1);
        assertThat(p.closeCode).isNull();
    }

    @Test
    void aConnectionWithoutAHandshakeIsClosedAtTheDeadlineWithoutWaitingForItsErrorToDrain() throws Exception {
        Peer silent = new Peer("10.0.0.1");
        Peer honest = new Peer("10.0.0.2");
        advance(4_999);
        silent.core.tick(0, 0, 0);
        assertThat(silent.closeCode).isNull();
        honest.handshaken();
        advance(1);
        silent.core.tick(0, 0, 0);
        honest.core.tick(0, 0, 0);
        assertThat(silent.closeCode).isEqualTo(ErrorCode.TOO_SLOW);
        assertThat(silent.closedWith).contains("no HANDSHAKE within 5000 ms");
        assertThat(silent.drainedFirst).isFalse();
        assertThat(honest.closeCode).isNull();
    }

    @Test
    void aFrameTrickledBelowTheMinimumRateIsClosedAndOneAtTheRateIsKept() throws Exception {
        Peer slow = new Peer("10.0.0.1").handshaken();
        Peer fast = new Peer("10.0.0.2").handshaken();
        long start = nowNanos;
        for (int s = 1; s <= 12 && slow.closeCode == null; s++) {
            advance(1_000);
            slow.core.tick(start, 4 + s, 0);
            fast.core.tick(start, 4 + s * 4_096L, 0);
        }
        assertThat(slow.closeCode).isEqualTo(ErrorCode.TOO_SLOW);
        assertThat(slow.closedWith).contains("less than 4096 bytes/s");
        assertThat(fast.closeCode).isNull();
    }

    @Test
    void aPeerThatStopsReadingItsReplyIsClosedAndItsSlotGoesToAWaiter() throws Exception {
        Peer stuck = new Peer("10.0.0.1").handshaken();
        Peer other = new Peer("10.0.0.2").handshaken();
        Peer waiter = new Peer("10.0.0.3").handshaken();
        stuck.core.frameIn(new GetSpan(1, 0, 0));
        other.core.frameIn(new GetSpan(1, 0, 0));
        waiter.core.frameIn(new GetSpan(1, 0, 0));
        stuck.core.replyRead(stuck.reads.get(0), "reply-1");
        long pending = MerkleTree.LEAF_SIZE_BYTES;
        for (int s = 1; s <= 11 && stuck.closeCode == null; s++) {
            advance(1_000);
            stuck.core.tick(0, 0, pending);
        }
        assertThat(stuck.closedWith).contains("a reply was read with nothing moving");
        stuck.core.replyDrained();
        assertThat(waiter.reads).extracting(PendingRequest::requestId).containsExactly(1);
    }

    @Test
    void anIdleSessionIsClosedAfterTheIdleTimeoutAndABusyOneIsNot() throws Exception {
        Peer idle = new Peer("10.0.0.1").handshaken();
        Peer busy = new Peer("10.0.0.2").handshaken();
        busy.core.frameIn(new GetSpan(1, 0, 0));
        advance(60_000);
        idle.core.tick(0, 0, 0);
        busy.core.tick(0, 0, 0);
        assertThat(idle.closedWith).contains("no request for 60000 ms");
        assertThat(busy.closeCode).isNull();
    }

    @Test
    void haveFramesGoOnlyToSessionsAboutThatContent() throws Exception {
        Peer p = new Peer("10.0.0.1").handshaken();
        Have have = new Have(List.of(new LeafRange(0, 1)));
        p.core.have(OTHER, have);
        p.core.have(HELD, have);
        assertThat(p.sent).filteredOn(f -> f instanceof Have).containsExactly(have);
    }
}
