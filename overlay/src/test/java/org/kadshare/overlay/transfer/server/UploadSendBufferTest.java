package org.kadshare.overlay.transfer.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.StoreConfig;

class UploadSendBufferTest {
    private static final long LINUX_DEFAULT_WMEM_MAX = 212_992;
    private static final long LINUX_DEFAULT_AUTOTUNE_MAX = 4L << 20;
    /** Below every kernel's wmem_max, so the kernel grants it (twice it, which the JDK reports halved). */
    private static final int SMALL_ASK = 100_000;

    @TempDir
    Path dir;

    @Test
    void withLinuxDefaultLimitsTheBufferIsLeftToAutotuningWhichGrowsFurther() {
        assertThat(UploadSendBuffer.ask(LINUX_DEFAULT_WMEM_MAX, LINUX_DEFAULT_AUTOTUNE_MAX)).isEmpty();
    }

    @Test
    void aKernelCapAboveHalfOfAutotuningsCeilingIsAskedForWhole() {
        assertThat(UploadSendBuffer.ask(4L << 20, 4L << 20)).hasValue(4 << 20);
        assertThat(UploadSendBuffer.ask(3L << 20, 4L << 20)).hasValue(3 << 20);
        assertThat(UploadSendBuffer.ask(2L << 20, 4L << 20)).isEmpty();
    }

    @Test
    void aHugeKernelCapIsAskedOnlyUpToTheLimit() {
        assertThat(UploadSendBuffer.ask(1L << 30, 4L << 20)).hasValue(UploadSendBuffer.MAX_ASK_BYTES);
        assertThat(UploadSendBuffer.ask(1L << 30, 64L << 20)).isEmpty();
    }

    @Test
    void theLimitsAreReadFromTheKernelsFilesAndUnreadableOnesLeaveAutotuning() throws Exception {
        Path max = Files.writeString(dir.resolve("wmem_max"), "4194304\n");
        Path tcp = Files.writeString(dir.resolve("tcp_wmem"), "4096\t16384\t4194304\n");
        assertThat(UploadSendBuffer.fromFiles(max, tcp)).hasValue(4 << 20);
        assertThat(UploadSendBuffer.fromFiles(Files.writeString(dir.resolve("default"), "212992\n"), tcp)).isEmpty();
        assertThat(UploadSendBuffer.fromFiles(dir.resolve("missing"), tcp)).isEmpty();
        assertThat(UploadSendBuffer.fromFiles(max, Files.writeString(dir.resolve("short"), "4096 16384\n"))).isEmpty();
        assertThat(UploadSendBuffer.fromFiles(Files.writeString(dir.resolve("junk"), "lots\n"), tcp)).isEmpty();
    }

    @Test
    void theKernelsOwnFilesAreReadWholeThoughTheySayTheyAreEmpty() throws Exception {
        Path tcp = Path.of("/proc/sys/net/ipv4/tcp_wmem");
        Path max = Path.of("/proc/sys/net/core/wmem_max");
        assumeTrue(Files.isReadable(tcp) && Files.isReadable(max), "a Linux kernel's /proc");
        long[] limits = UploadSendBuffer.numbers(tcp);
        assertThat(limits).hasSize(3);
        assertThat(limits[2]).isGreaterThanOrEqualTo(limits[1]).isGreaterThanOrEqualTo(4096);
        assertThat(UploadSendBuffer.numbers(max)).hasSize(1);
        assertThat(UploadSendBuffer.numbers(max)[0]).isGreaterThanOrEqualTo(4096);
    }

    @Test
    void acceptedAndDialedOutConnectionsGetTheBufferAskedForAndOnlyThen() throws Exception {
        assertThat(sendBuffersOfAnAcceptedAndADialedConnection(OptionalInt.of(SMALL_ASK)))
                .containsOnly(SMALL_ASK).hasSize(2);
        assertThat(sendBuffersOfAnAcceptedAndADialedConnection(OptionalInt.empty()))
                .doesNotContain(SMALL_ASK).hasSize(2);
    }

    private List<Integer> sendBuffersOfAnAcceptedAndADialedConnection(OptionalInt ask) throws Exception {
        try (BlockStore store = BlockStore.open(Files.createTempDirectory(dir, "store"), StoreConfig.defaults());
                BlockServer server = BlockServer.start(store, NodeId.random(new Random(5)),
                        ServerConfig.defaults().toBuilder().bindAddress(new InetSocketAddress("127.0.0.1", 0)).build(),
                        TransportSecurity.clear(), ask);
                ServerSocket getter = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
                Socket accepted = new Socket()) {
            accepted.connect(new InetSocketAddress("127.0.0.1", server.address().getPort()), 10_000);
            server.dialOut(new InetSocketAddress(getter.getInetAddress(), getter.getLocalPort()), new byte[16]);
            getter.setSoTimeout(10_000);
            try (Socket dialed = getter.accept()) {
                for (int i = 0; i < 200 && server.connectionCount() < 2; i++) {
                    Thread.sleep(10);
                }
                return server.connectionSendBuffers();
            }
        }
    }
}
