package org.kadshare.overlay.transfer.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.nio.NioEventLoopGroup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.PeerConnection;
import org.kadshare.overlay.transfer.PeerListener;
import org.kadshare.overlay.transfer.Response;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.kadshare.overlay.transfer.wire.Frame;
import org.kadshare.overlay.transfer.wire.FrameBudget;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Limits;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.SpanVerifier;
import org.kadshare.storage.StoreConfig;

/**
 * The block server's bounds on what a peer controls, over real sockets from several loopback
 * source addresses: each limit stops the hostile peer and leaves an honest one served.
 */
class BlockServerLimitsTest {
    private static final NodeId SERVER_ID = NodeId.random(new Random(11));
    private static final PeerListener QUIET = new PeerListener() { };
    private static final String HOSTILE_IP = "127.14.0.2";
    private static final String OTHER_IP = "127.14.0.3";

    @TempDir
    Path dir;
    private BlockStore store;
    private final List<BlockServer> servers = new ArrayList<>();
    private final List<RawPeer> raw = new ArrayList<>();
    private final NioEventLoopGroup clients = new NioEventLoopGroup(1);

    @BeforeEach
    void openStore() throws Exception {
        store = BlockStore.open(dir.resolve("store"), StoreConfig.defaults());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (RawPeer p : raw) {
            p.close();
        }
        servers.forEach(BlockServer::close);
        clients.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        store.close();
    }

    private BlockServer start(ServerConfig.Builder config) throws Exception {
        BlockServer server = BlockServer.start(store, SERVER_ID, config.build());
        servers.add(server);
        return server;
    }

    private ContentId put(int length) throws Exception {
        return store.add(Holder.write(dir, "f" + length, Holder.content(length, length)), AddMode.REFERENCE).id();
    }

    private RawPeer raw(String ip, BlockServer server) throws Exception {
        RawPeer p = RawPeer.connect(ip, server);
        raw.add(p);
        return p;
    }

    private void assertHonestPeerIsServed(BlockServer server, ContentId id) throws Exception {
        try (PeerConnection peer = Holder.connect(clients, server, id, 8, QUIET)) {
            Span span = (Span) peer.getSpan(0, 0).get(30, TimeUnit.SECONDS).frame();
            assertThat(SpanVerifier.verifyData(id, span.proof(), span.data())).isTrue();
        }
    }

    private static ErrorFrame connectionError(RawPeer p) throws Exception {
        Frame f = p.read();
        assertThat(f).isInstanceOf(ErrorFrame.class);
        ErrorFrame e = (ErrorFrame) f;
        assertThat(e.isConnectionError()).as("a connection error: %s", e).isTrue();
        assertThat(p.closedByHolder()).isTrue();
        return e;
    }

    @Test
    void connectionsBeyondThePerAddressLimitAreRefusedWithBusyWhileOtherAddressesAreServed() throws Exception {
        ContentId id = put(2 * Holder.L);
        BlockServer server = start(ServerConfig.defaults().toBuilder().maxConnectionsPerIp(3));
        for (int i = 0; i < 3; i++) {
            raw(HOSTILE_IP, server).handshakeFor(id);
        }
        RawPeer fourth = raw(HOSTILE_IP, server);
        ErrorFrame refused = connectionError(fourth);
        assertThat(refused.code()).isEqualTo(ErrorCode.BUSY);
        assertThat(refused.reason()).contains(HOSTILE_IP);

        assertHonestPeerIsServed(server, id);
        assertThat(raw(OTHER_IP, server).handshakeFor(id).contentId()).isEqualTo(id);
        raw.get(0).close();
        Handshake again = null;
        for (int attempt = 0; again == null && attempt < 100; attempt++) {
            RawPeer p = raw(HOSTILE_IP, server);
            p.send(RawPeer.handshake(id));
            Frame f = p.read();
            again = f instanceof Handshake h ? h : null;
        }
        assertThat(again).as("a place freed by a close is given to the next connection").isNotNull();
    }

    @Test
    void connectionsBeyondTheTotalLimitAreRefusedWithBusy() throws Exception {
        ContentId id = put(Holder.L);
        BlockServer server = start(ServerConfig.defaults().toBuilder().maxConnections(3));
        for (int i = 0; i < 3; i++) {
            raw("127.14.1." + (i + 1), server).handshakeFor(id);
        }
        assertThat(connectionError(raw("127.14.1.9", server)).code()).isEqualTo(ErrorCode.BUSY);
        assertThat(server.connectionCount()).isEqualTo(3);
    }

    @Test
    void aConnectionWithoutAHandshakeIsClosedAtTheDeadlineAndAHandshakenOneStays() throws Exception {
        ContentId id = put(Holder.L);
        BlockServer server = start(ServerConfig.defaults().toBuilder().handshakeTimeoutMillis(500));
        try (PeerConnection honest = Holder.connect(clients, server, id, 8, QUIET)) {
            RawPeer silent = raw(HOSTILE_IP, server);
            ErrorFrame closed = connectionError(silent);
            assertThat(closed.code()).isEqualTo(ErrorCode.TOO_SLOW);
            assertThat(closed.reason()).contains("HANDSHAKE");
            assertThat(honest.getSpan(0, 0).get(30, TimeUnit.SECONDS).frame()).isInstanceOf(Span.class);
        }
    }

    @Test
    void aPeerTricklingAFrameSlowerThanTheMinimumRateIsClosedAndAFastOneIsServed() throws Exception {
        ContentId id = put(Holder.L);
        BlockServer server = start(ServerConfig.defaults().toBuilder().handshakeTimeoutMillis(60_000)
                .progressGraceMillis(300).minProgressBytesPerSecond(1_000));
        RawPeer slow = raw(HOSTILE_IP, server);
        byte[] handshake = RawPeer.handshake(id);
        CompletableFuture<Frame> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return slow.read();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        int sent = 0;
        while (sent < handshake.length && !answer.isDone()) {
            try {
                slow.send(new byte[] {handshake[sent++]});
            } catch (java.io.IOException closed) {
                break;
            }
            Thread.sleep(100);
        }
        Frame reply = answer.get(30, TimeUnit.SECONDS);
        assertThat(reply).as("after %d of %d bytes at 10 bytes/s", sent, handshake.length)
                .isInstanceOf(ErrorFrame.class);
        assertThat(((ErrorFrame) reply).code()).isEqualTo(ErrorCode.TOO_SLOW);
        assertThat(sent).isLessThan(handshake.length);
        assertHonestPeerIsServed(server, id);
    }

    @Test
    void aPeerThatNeverReadsLosesItsSlotToAPeerThatDoes() throws Exception {
        ContentId id = put(8 << 20);
        BlockServer server = start(ServerConfig.defaults().toBuilder().uploadSlots(1).slotLingerMillis(0)
                .progressGraceMillis(1_000));
        RawPeer stuck = RawPeer.connect(HOSTILE_IP, server, 4_096);
        raw.add(stuck);
        stuck.handshakeFor(id);
        for (int i = 0; i < 8; i++) {
            stuck.getSpan(i + 1, 8, i % 2);
        }
        try (PeerConnection honest = Holder.connect(clients, server, id, 8, QUIET)) {
            Span span = (Span) honest.getSpan(0, 3).get(60, TimeUnit.SECONDS).frame();
            assertThat(SpanVerifier.verifyData(id, span.proof(), span.data())).isTrue();
        }
    }

    @Test
    void largeFramesPastTheBufferBudgetAreRefusedWithBusyAndTheBudgetIsGivenBack() throws Exception {
        ContentId id = put(Holder.L);
        int big = Limits.MAX_FRAME_LENGTH_BYTES;
        BlockServer server = start(ServerConfig.defaults().toBuilder().maxBufferedBytes(big + big / 2));
        RawPeer first = raw(HOSTILE_IP, server);
        first.handshakeFor(id);
        first.sendPartOfFrame(big, 1 << 20);
        RawPeer second = raw(OTHER_IP, server);
        second.handshakeFor(id);
        second.sendPartOfFrame(big, 1);
        ErrorFrame refused = connectionError(second);
        assertThat(refused.code()).isEqualTo(ErrorCode.BUSY);
        assertThat(server.bufferedBytes()).isEqualTo(big);
        assertHonestPeerIsServed(server, id);

        first.close();
        awaitBuffered(server, 0);
        RawPeer third = raw(OTHER_IP, server);
        third.handshakeFor(id);
        third.sendPartOfFrame(FrameBudget.UNBUDGETED_FRAME_BYTES + 1, 10);
        awaitBuffered(server, FrameBudget.UNBUDGETED_FRAME_BYTES + 1);
    }

    private static void awaitBuffered(BlockServer server, long bytes) throws InterruptedException {
        for (int attempt = 0; server.bufferedBytes() != bytes && attempt < 400; attempt++) {
            Thread.sleep(25);
        }
        assertThat(server.bufferedBytes()).as("bytes of large frames buffered").isEqualTo(bytes);
    }

    @Test
    void anAddressWithManyConnectionsGetsNoMoreSlotsThanAnAddressWithOne() throws Exception {
        ContentId id = put(64 * Holder.L);
        BlockServer server = start(ServerConfig.defaults().toBuilder().uploadSlots(2).slotLingerMillis(0)
                .uploadBytesPerSecond(1 << 20));
        List<RawPeer> greedy = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            RawPeer p = raw(HOSTILE_IP, server);
            p.handshakeFor(id);
            greedy.add(p);
        }
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> readers = new ArrayList<>();
        for (int c = 0; c < greedy.size(); c++) {
            RawPeer p = greedy.get(c);
            for (int i = 0; i < 8; i++) {
                p.getSpan(i + 1, 2, (c * 8 + i) % 16);
            }
            readers.add(CompletableFuture.runAsync(() -> readSpans(p, 8, order, "greedy")));
        }
        RawPeer single = raw(OTHER_IP, server);
        single.handshakeFor(id);
        single.getSpan(1, 2, 15);
        readSpans(single, 1, order, "single");
        for (CompletableFuture<Void> r : readers) {
            r.get(60, TimeUnit.SECONDS);
        }
        assertThat(order).hasSize(33);
        assertThat(order.indexOf("single")).as("the single peer is served while the greedy address still waits: %s",
                order).isLessThan(24);
    }

    private static void readSpans(RawPeer p, int count, List<String> order, String who) {
        try {
            for (int got = 0; got < count; ) {
                Frame f = p.read();
                if (f instanceof Span) {
                    order.add(who);
                    got++;
                }
            }
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }
}
