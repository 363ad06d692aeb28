package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.storage.ContentHasher;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * The leaf-layer phase alone: holders are plain records with links that log what they are asked,
 * the core is a log of what the phase asks of it, and time is set by hand.
 */
class LeafLayerPhaseTest {
    /** 768 leaves: a leaf layer of three pieces. */
    private static final int LENGTH = 12 << 20;
    private static final long TIMEOUT_MILLIS = 1_000;
    private static final long MS = 1_000_000L;
    private static MerkleTree tree;

    @BeforeAll
    static void hash() throws Exception {
        byte[] content = new byte[LENGTH];
        new Random(3).nextBytes(content);
        try (ContentHasher hasher = new ContentHasher(1)) {
            tree = hasher.hash(content);
        }
    }

    /** The core as the phase sees it: holders, a clock, and a log of every call. */
    private static final class FakeCore implements LeafLayerPhase.Core {
        final List<Holder> holders = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final LeafLayerPhase phase = new LeafLayerPhase(tree.contentId(), TIMEOUT_MILLIS, this);
        long nowNanos;
        byte[] layer;

        Holder connected(long claimedLengthBytes) {
            Holder h = new Holder(holders.size(), new InetSocketAddress("127.0.0.1", 1000 + holders.size()));
            h.state = PeerProgress.State.CONNECTED;
            h.claimedLengthBytes = claimedLengthBytes;
            h.link = new LoggingLink(h.peer, log);
            holders.add(h);
            return h;
        }

        @Override
        public long nowNanos() {
            return nowNanos;
        }

        @Override
        public List<Holder> holders() {
            return holders;
        }

        @Override
        public Holder holder(int peer) {
            return holders.get(peer);
        }

        @Override
        public void drop(Holder h, PeerProgress.State state, String reason) {
            log.add("drop " + h.peer + " " + state + ": " + reason);
            h.state = state;
        }

        @Override
        public boolean backOff(Holder h, String what) {
            log.add("busy " + h.peer + ": " + what);
            h.busyUntilNanos = nowNanos + 100 * MS;
            return true;
        }

        @Override
        public void lengthProven(long lengthBytes) {
            log.add("proven " + lengthBytes);
            for (Holder h : holders) {
                if (h.state == PeerProgress.State.CONNECTED && h.claimedLengthBytes != lengthBytes) {
                    drop(h, PeerProgress.State.FAILED, "another length");
                }
            }
        }

        @Override
        public void spansMayStart() {
            log.add("spans");
        }

        @Override
        public void layerIn(byte[] leafHashes) {
            log.add("layer in");
            layer = leafHashes;
        }

        @Override
        public void pauseOver(Holder h, long nowNanos) {
            log.add("pause over " + h.peer);
        }
    }

    private record LoggingLink(int peer, List<String> log) implements PeerLink {
        @Override
        public Holdings holdings() {
            return Holdings.complete();
        }

        @Override
        public long lengthBytes() {
            return LENGTH;
        }

        @Override
        public long handshakeRttNanos() {
            return -1;
        }

        @Override
        public void requestSpan(long token, int height, long index) {
            log.add("span " + peer + " (" + height + ", " + index + ")");
        }

        @Override
        public void requestHashes(long token, int height, long index) {
            log.add("hashes " + peer + " piece " + index);
        }

        @Override
        public void cancel(long token) {
            log.add("cancel " + peer + " piece " + (LeafLayerPhase.HASHES_TOKEN_BASE - token));
        }

        @Override
        public void close() {
            log.add("close " + peer);
        }

        @Override
        public void reject(String reason) {
            log.add("reject " + peer);
        }
    }

    private static long token(int piece) {
        return LeafLayerPhase.HASHES_TOKEN_BASE - piece;
    }

    /** The true piece {@code piece} of the layer, pieces being of {@code height}. */
    private static Hashes piece(int height, int piece) {
        SpanProof proof = tree.proof(height, piece);
        return new Hashes(1, proof, tree.leafHashes(proof.firstLeaf(), (int) proof.leafCount()));
    }

    /** The height of the layer's pieces, which depends on the length alone. */
    private static final int HEIGHT = new LeafLayerFetch(ContentId.of(new byte[ContentId.LENGTH_BYTES]), LENGTH)
            .pieceHeight();

    @Test
    void eachHolderIsAskedOnePieceUntilOneProvesTheLengthThenTheRestAndTheVerifiedLayerComesOut() {
        FakeCore core = new FakeCore();
        LeafLayerPhase phase = core.phase;
        Holder a = core.connected(LENGTH);
        Holder b = core.connected(LENGTH);
        phase.ask(a);
        phase.ask(b);
        assertThat(core.log).containsExactly("hashes 0 piece 0", "hashes 1 piece 1");

        core.log.clear();
        phase.hashesArrived(a, token(0), piece(HEIGHT, 0));
        assertThat(core.log).containsExactly("proven " + LENGTH, "hashes 0 piece 2", "spans");

        core.log.clear();
        phase.hashesArrived(b, token(1), piece(HEIGHT, 1));
        assertThat(phase.isOver()).isFalse();
        phase.hashesArrived(a, token(2), piece(HEIGHT, 2));
        assertThat(core.log).as("the idle holder takes a second copy of the last piece, withdrawn when it is in")
                .containsExactly("hashes 1 piece 2", "cancel 1 piece 2", "layer in");
        assertThat(phase.isOver()).isTrue();
        assertThat(core.layer).isEqualTo(tree.leafHashes(0, (int) tree.leafCount()));
    }

    @Test
    void onceTheLengthIsProvenAHolderIsAskedSeveralPiecesAndAPieceInIsWithdrawnFromTheOthers() {
        FakeCore core = new FakeCore();
        LeafLayerPhase phase = core.phase;
        Holder a = core.connected(LENGTH);
        Holder b = core.connected(LENGTH);
        b.chokesUs = true;
        phase.ask(a);
        phase.ask(b);
        phase.hashesArrived(a, token(0), piece(HEIGHT, 0));
        assertThat(core.log).containsExactly("hashes 0 piece 0", "proven " + LENGTH, "hashes 0 piece 1",
                "hashes 0 piece 2", "spans");

        core.log.clear();
        b.chokesUs = false;
        phase.choked(b, false);
        assertThat(core.log).as("an idle holder takes a second copy of a piece still out").containsExactly(
                "hashes 1 piece 1");
        core.log.clear();
        phase.hashesArrived(b, token(1), piece(HEIGHT, 1));
        assertThat(core.log).containsExactly("cancel 0 piece 1", "hashes 1 piece 2");
    }

    @Test
    void aHolderOfAnotherLengthFetchesItsOwnAndItsAnswerIsIgnoredOnceAnotherProvedTheLength() {
        FakeCore core = new FakeCore();
        LeafLayerPhase phase = core.phase;
        Holder liar = core.connected(LENGTH + 1);
        Holder honest = core.connected(LENGTH);
        phase.ask(liar);
        phase.ask(honest);
        assertThat(core.log).as("each length has its own fetch: both are asked its first piece")
                .containsExactly("hashes 0 piece 0", "hashes 1 piece 0");
        phase.hashesArrived(honest, token(0), piece(HEIGHT, 0));
        assertThat(core.log).contains("drop 0 FAILED: another length");
        core.log.clear();
        phase.hashesArrived(liar, token(0), piece(HEIGHT, 0));
        assertThat(core.log).isEmpty();
    }

    @Test
    void aPieceThatDoesNotVerifyBansItsSender() {
        FakeCore core = new FakeCore();
        LeafLayerPhase phase = core.phase;
        Holder h = core.connected(LENGTH);
        phase.ask(h);
        Hashes good = piece(HEIGHT, 0);
        byte[] bad = good.leafHashes();
        bad[0] ^= 1;
        phase.hashesArrived(h, token(0), new Hashes(1, good.proof(), bad));
        assertThat(core.log).last().asString().startsWith("drop 0 BANNED: sent leaf hashes of span (" + HEIGHT + ", 0)");
    }

    @Test
    void aHolderBusyToTheLeafHashesIsAskedNothingInItsPauseAndAgainAfterIt() {
        FakeCore core = new FakeCore();
        LeafLayerPhase phase = core.phase;
        Holder h = core.connected(LENGTH);
        phase.ask(h);
        phase.refused(h, token(0), true, "BUSY");
        core.nowNanos = 99 * MS;
        phase.tick(core.nowNanos);
        phase.ask(h);
        assertThat(core.log).containsExactly("hashes 0 piece 0", "busy 0: answered BUSY to the leaf hashes");
        core.nowNanos = 100 * MS;
        phase.tick(core.nowNanos);
        assertThat(core.log).endsWith("hashes 0 piece 0", "pause over 0");
    }

    @Test
    void aHolderThatRefusesTheLeafHashesOrLeavesThemUnansweredPastTheTimeoutIsDropped() {
        FakeCore core = new FakeCore();
        LeafLayerPhase phase = core.phase;
        Holder refuses = core.connected(LENGTH);
        Holder silent = core.connected(LENGTH);
        phase.ask(refuses);
        phase.ask(silent);
        phase.refused(refuses, token(0), false, "NOT_FOUND");
        assertThat(core.log).contains("drop 0 FAILED: refused the leaf hashes: NOT_FOUND");
        core.nowNanos = TIMEOUT_MILLIS * MS;
        phase.tick(core.nowNanos);
        assertThat(core.log).noneMatch(line -> line.startsWith("drop 1"));
        core.nowNanos = TIMEOUT_MILLIS * MS + 1;
        phase.tick(core.nowNanos);
        assertThat(core.log).last().isEqualTo("drop 1 FAILED: sent no leaf hashes within " + TIMEOUT_MILLIS + " ms");
    }

    @Test
    void aResumedRunFetchesNoLayer() {
        FakeCore core = new FakeCore();
        LeafLayerPhase phase = core.phase;
        phase.skip();
        Holder h = core.connected(LENGTH);
        phase.ask(h);
        phase.tick(0);
        assertThat(phase.isOver()).isTrue();
        assertThat(core.log).isEmpty();
    }
}
