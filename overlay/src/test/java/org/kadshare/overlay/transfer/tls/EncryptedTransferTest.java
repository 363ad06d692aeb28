package org.kadshare.overlay.transfer.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.ssl.SslProvider;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.PeerConnection;
import org.kadshare.overlay.transfer.PeerListener;
import org.kadshare.overlay.transfer.TransferException;
import org.kadshare.overlay.transfer.server.BlockServer;
import org.kadshare.overlay.transfer.server.ServerConfig;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.Handshake;
import org.kadshare.overlay.transfer.wire.Holdings;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.NodeIdentity;
import org.kadshare.storage.SpanVerifier;
import org.kadshare.storage.StoreConfig;

class EncryptedTransferTest {
    private static final NodeId HOLDER_ID = NodeId.random(new Random(1));
    private static final NodeId GETTER_ID = NodeId.random(new Random(2));
    private static final NodeIdentity HOLDER_KEY = NodeIdentity.fromSeed(seed(1));
    private static final NodeIdentity GETTER_KEY = NodeIdentity.fromSeed(seed(2));
    private static final PeerListener QUIET = new PeerListener() { };
    private static final int LEAF = 16 * 1024;

    @TempDir
    Path dir;
    private BlockStore store;
    private final List<BlockServer> servers = new ArrayList<>();
    private final NioEventLoopGroup clients = new NioEventLoopGroup(1);
    private final byte[] content = new byte[9 * LEAF + 77];
    private ContentId id;

    private static byte[] seed(int n) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) n);
        return seed;
    }

    @BeforeEach
    void holdAFile() throws Exception {
        // An hour ahead, the file counts as old: the holder trusts its leaves and would send them
        // straight from the file in clear.
        store = BlockStore.open(dir.resolve("store"), StoreConfig.defaults(),
                Clock.offset(Clock.systemUTC(), Duration.ofHours(1)));
        new Random(5).nextBytes(content);
        Path file = dir.resolve("shared.bin");
        Files.write(file, content);
        id = store.add(file, AddMode.REFERENCE).id();
    }

    @AfterEach
    void closeAll() throws Exception {
        servers.forEach(BlockServer::close);
        clients.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        store.close();
    }

    private BlockServer serve(TransportSecurity security) throws Exception {
        return serve(security, ServerConfig.defaults());
    }

    private BlockServer serve(TransportSecurity security, ServerConfig config) throws Exception {
        BlockServer server = BlockServer.start(store, HOLDER_ID, config
                .withBindAddress(new InetSocketAddress("127.0.0.1", 0)), security);
        servers.add(server);
        return server;
    }

    private static TransportSecurity holder(Encryption mode) {
        return TransportSecurity.of(mode, HOLDER_KEY, HOLDER_ID);
    }

    private static TransportSecurity getter(Encryption mode) {
        return TransportSecurity.of(mode, GETTER_KEY, GETTER_ID);
    }

    private PeerConnection connect(TransportSecurity security, InetSocketAddress to, NodeId claimed) throws Exception {
        Handshake ours = new Handshake(claimed, id, Handshake.UNKNOWN_LENGTH, Holdings.none());
        return security.connect(clients, to, ours, 5_000, 8, QUIET).get(20, TimeUnit.SECONDS);
    }

    private void fetchesEverySpanIntact(PeerConnection peer) throws Exception {
        for (long index = 0; index < 10; index++) {
            Span span = (Span) peer.getSpan(0, index).get(20, TimeUnit.SECONDS).frame();
            assertThat(SpanVerifier.verifyData(id, span.proof(), span.data())).isTrue();
            int from = (int) span.proof().offsetBytes();
            assertThat(span.data()).isEqualTo(Arrays.copyOfRange(content, from, from + span.data().length));
        }
    }

    @Test
    void anEncryptedTransferDeliversSpansThatVerifyEvenWhenTheHolderWouldSendThemFromTheFile() throws Exception {
        TransportSecurity holder = holder(Encryption.PREFER);
        TransportSecurity getter = getter(Encryption.PREFER);
        BlockServer server = serve(holder);
        try (PeerConnection peer = connect(getter, server.address(), GETTER_ID)) {
            fetchesEverySpanIntact(peer);
        }
        assertThat(getter.encryptedConnections()).isEqualTo(1);
        assertThat(holder.encryptedConnections()).isEqualTo(1);
        assertThat(server.spansServedFromFile()).isZero();
    }

    @ParameterizedTest(name = "getter on {0}, holder on {1}")
    @CsvSource({"JDK, OPENSSL", "OPENSSL, JDK", "JDK, JDK", "OPENSSL, OPENSSL"})
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void gettersAndHoldersOnEitherTlsProviderTransferEncryptedWithEachOther(SslProvider getterOn, SslProvider holderOn)
            throws Exception {
        TransportSecurity holder = TransportSecurity.of(Encryption.REQUIRE, HOLDER_KEY, HOLDER_ID, holderOn);
        TransportSecurity getter = TransportSecurity.of(Encryption.REQUIRE, GETTER_KEY, GETTER_ID, getterOn);
        BlockServer server = serve(holder);
        try (PeerConnection peer = connect(getter, server.address(), GETTER_ID)) {
            fetchesEverySpanIntact(peer);
        }
        assertThat(getter.encryptedConnections()).isEqualTo(1);
        assertThat(holder.encryptedConnections()).isEqualTo(1);
    }

    @ParameterizedTest(name = "holder on {0}")
    @CsvSource({"JDK", "OPENSSL"})
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void spansOfManyTlsRecordsReadFromTheFileArriveIntact(SslProvider holderOn) throws Exception {
        BlockServer server = serve(TransportSecurity.of(Encryption.REQUIRE, HOLDER_KEY, HOLDER_ID, holderOn));
        try (PeerConnection peer = connect(getter(Encryption.REQUIRE), server.address(), GETTER_ID)) {
            for (long index = 0; index < 2; index++) { // 8 leaves (128 KiB), then the last 1 leaf and 77 bytes
                Span span = (Span) peer.getSpan(3, index).get(20, TimeUnit.SECONDS).frame();
                int from = (int) span.proof().offsetBytes();
                assertThat(span.data()).isEqualTo(Arrays.copyOfRange(content, from, from + span.data().length));
                assertThat(SpanVerifier.verifyData(id, span.proof(), span.data())).isTrue();
            }
            Span whole = (Span) peer.getSpan(4, 0).get(20, TimeUnit.SECONDS).frame();
            assertThat(whole.data()).isEqualTo(content);
        }
        assertThat(server.spansServedFromFile()).isZero();
    }

    @ParameterizedTest(name = "getter on {0}, holder on {1}")
    @CsvSource({"JDK, OPENSSL", "OPENSSL, JDK"})
    @EnabledOnOs(value = OS.LINUX, architectures = "amd64")
    void aGetterClaimingAnotherNodeIdIsRefusedWhicheverTlsProviderEachSideRuns(SslProvider getterOn,
            SslProvider holderOn) throws Exception {
        BlockServer server = serve(TransportSecurity.of(Encryption.REQUIRE, HOLDER_KEY, HOLDER_ID, holderOn));
        NodeId impostor = NodeId.random(new Random(98));
        assertThatThrownBy(() -> connect(TransportSecurity.of(Encryption.REQUIRE, GETTER_KEY, GETTER_ID, getterOn),
                server.address(), impostor))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransferException.class)
                .hasMessageContaining("claims node ID " + impostor.toHex())
                .hasMessageContaining("certificate carries node ID " + GETTER_ID.toHex());
    }

    /** Every byte of a whole transfer between the two settings, as a relay in the path saw it. */
    private byte[] wireOfATransfer(Encryption both) throws Exception {
        BlockServer server = serve(holder(both));
        try (TappingRelay relay = TappingRelay.to(server.address());
                PeerConnection peer = connect(getter(both), relay.address(), GETTER_ID)) {
            fetchesEverySpanIntact(peer);
            peer.close();
            return relay.bothDirections();
        }
    }

    @Test
    void nothingOnTheWireOfAnEncryptedTransferShowsTheFilesBytesOrItsId() throws Exception {
        byte[] wire = wireOfATransfer(Encryption.REQUIRE);
        assertThat(wire.length).isGreaterThan(content.length);
        assertThat(TappingRelay.contains(wire, id.toBytes(), 32)).isFalse();
        assertThat(TappingRelay.contains(wire, id.dhtKey(), 20)).isFalse();
        assertThat(TappingRelay.contains(wire, content, 16)).isFalse();
    }

    @Test
    void theSameRelayDoesSeeTheBytesOfAClearTransfer() throws Exception {
        byte[] wire = wireOfATransfer(Encryption.REFUSE);
        assertThat(TappingRelay.contains(wire, id.toBytes(), 32)).isTrue();
        assertThat(TappingRelay.contains(wire, content, 16)).isTrue();
    }

    @ParameterizedTest(name = "getter {0}, holder {1}: {2}")
    @CsvSource({
        "REQUIRE, REQUIRE, encrypted",
        "REQUIRE, PREFER, encrypted",
        "REQUIRE, REFUSE, does not encrypt and encryption is required",
        "PREFER, REQUIRE, encrypted",
        "PREFER, PREFER, encrypted",
        "PREFER, REFUSE, clear",
        "REFUSE, REQUIRE, only accepts encrypted transfers",
        "REFUSE, PREFER, clear",
        "REFUSE, REFUSE, clear",
    })
    void gettersAndHoldersOfEverySettingEncryptFallBackOrRefuseClearly(Encryption getterMode, Encryption holderMode,
            String outcome) throws Exception {
        TransportSecurity getter = getter(getterMode);
        BlockServer server = serve(holder(holderMode));
        if (outcome.equals("encrypted") || outcome.equals("clear")) {
            try (PeerConnection peer = connect(getter, server.address(), GETTER_ID)) {
                fetchesEverySpanIntact(peer);
            }
            assertThat(outcome.equals("encrypted") ? getter.encryptedConnections() : getter.clearConnections())
                    .isEqualTo(1);
            assertThat(getter.encryptedConnections() + getter.clearConnections()).isEqualTo(1);
        } else {
            assertThatThrownBy(() -> connect(getter, server.address(), GETTER_ID))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(TransferException.class).hasMessageContaining(outcome);
        }
    }

    @Test
    void aGetterWhoseHandshakeClaimsANodeIdItsCertificateDoesNotCarryIsRefused() throws Exception {
        BlockServer server = serve(holder(Encryption.REQUIRE));
        NodeId impostor = NodeId.random(new Random(99));
        assertThatThrownBy(() -> connect(getter(Encryption.REQUIRE), server.address(), impostor))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransferException.class)
                .hasMessageContaining("BAD_REQUEST")
                .hasMessageContaining("claims node ID " + impostor.toHex())
                .hasMessageContaining("certificate carries node ID " + GETTER_ID.toHex());
        try (PeerConnection honest = connect(getter(Encryption.REQUIRE), server.address(), GETTER_ID)) {
            fetchesEverySpanIntact(honest);
        }
    }

    @Test
    void aHolderWhoseHandshakeClaimsANodeIdItsCertificateDoesNotCarryIsNotUsed() throws Exception {
        NodeId certified = NodeId.random(new Random(42));
        BlockServer server = serve(TransportSecurity.of(Encryption.REQUIRE, HOLDER_KEY, certified));
        assertThatThrownBy(() -> connect(getter(Encryption.PREFER), server.address(), GETTER_ID))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(TransferException.class)
                .hasMessageContaining("claims node ID " + HOLDER_ID.toHex())
                .hasMessageContaining("certificate carries node ID " + certified.toHex());
    }

    @ParameterizedTest
    @CsvSource({"REQUIRE", "PREFER"})
    void aHolderOverItsConnectionLimitIsBusyForAnEncryptingGetterNotAHolderThatDoesNotEncrypt(Encryption mode)
            throws Exception {
        TransportSecurity getter = getter(mode);
        BlockServer server = serve(holder(Encryption.REQUIRE),
                ServerConfig.defaults().toBuilder().maxConnectionsPerIp(1).build());
        try (Socket first = rawTo(server)) {
            first.getOutputStream().write(ServerSniffer.TLS_HANDSHAKE_RECORD);
            assertThatThrownBy(() -> connect(getter, server.address(), GETTER_ID))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(TransferException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BUSY))
                    .hasMessageNotContaining("does not encrypt");
        }
        assertThat(getter.clearConnections()).isZero();
    }

    @Test
    void garbageInsteadOfAClientHelloIsDroppedAndTheHolderServesTheNextGetter() throws Exception {
        TransportSecurity holder = holder(Encryption.PREFER);
        BlockServer server = serve(holder);
        byte[] garbage = new byte[4096];
        new Random(8).nextBytes(garbage);
        garbage[0] = ServerSniffer.TLS_HANDSHAKE_RECORD;
        try (Socket raw = rawTo(server)) {
            raw.getOutputStream().write(garbage);
            assertThat(readsUntilClosed(raw.getInputStream())).isLessThan(1024);
        }
        try (PeerConnection peer = connect(getter(Encryption.PREFER), server.address(), GETTER_ID)) {
            fetchesEverySpanIntact(peer);
        }
    }

    @Test
    void aTlsHandshakeThatNeverFinishesIsClosedByTheHandshakeDeadline() throws Exception {
        BlockServer server = serve(holder(Encryption.REQUIRE),
                ServerConfig.defaults().toBuilder().handshakeTimeoutMillis(300).build());
        try (Socket raw = rawTo(server)) {
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // a ClientHello record begun, never ended
            out.flush();
            assertThat(readsUntilClosed(raw.getInputStream())).isLessThan(1024);
        }
    }

    private static Socket rawTo(BlockServer server) throws Exception {
        Socket s = new Socket();
        s.setSoTimeout(30_000);
        s.connect(server.address(), 10_000);
        return s;
    }

    /** Bytes read until the peer closed; fails on the read timeout if it never does. */
    private static int readsUntilClosed(InputStream in) throws Exception {
        int total = 0;
        byte[] buffer = new byte[1024];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                total += n;
            }
        } catch (java.net.SocketException reset) {
            return total;
        }
        return total;
    }
}
