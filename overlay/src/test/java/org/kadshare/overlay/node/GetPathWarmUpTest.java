package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.transfer.server.BlockServer;
import org.kadshare.overlay.transfer.server.ServerConfig;
import org.kadshare.overlay.transfer.tls.Encryption;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.NodeIdentity;
import org.kadshare.storage.StoreConfig;

class GetPathWarmUpTest {
    private static final NodeId ID = NodeId.random(new Random(7));

    @TempDir
    Path dir;

    private static TransportSecurity security(Encryption mode) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        return TransportSecurity.of(mode, NodeIdentity.fromSeed(seed), ID);
    }

    @Test
    void theHashingStepChecksItsSpansAndLeafLayerAsADownloadDoes() {
        assertThat(GetPathWarmUp.hashing()).isTrue();
    }

    @Test
    void theConnectionStepGoesThroughTheNodesOwnTransportSecurityAndIsRefusedForContentNobodyHolds()
            throws Exception {
        for (Encryption mode : new Encryption[] {Encryption.PREFER, Encryption.REFUSE}) {
            TransportSecurity security = security(mode);
            try (BlockStore store = BlockStore.open(dir.resolve("store-" + mode), StoreConfig.defaults())) {
                BlockServer server = BlockServer.start(store, ID, ServerConfig.defaults()
                        .withBindAddress(new InetSocketAddress("127.0.0.1", 0)), security);
                try {
                    String outcome = GetPathWarmUp.connection(security, ID, server.address());
                    assertThat(outcome).as(mode.toString()).startsWith("refused: ").contains("NOT_HELD");
                    assertThat(mode == Encryption.REFUSE ? security.clearConnections() : security.encryptedConnections())
                            .as("the server side took one connection, in TLS unless TLS is refused").isEqualTo(1);
                    assertThat(server.spansServed()).isZero();
                } finally {
                    server.close();
                }
            }
        }
    }

    @Test
    void aBlockServerThatIsGoneEndsTheConnectionStepWithoutAnError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String outcome = GetPathWarmUp.connection(security(Encryption.PREFER), ID,
                new InetSocketAddress("127.0.0.1", port));
        assertThat(outcome).startsWith("refused: ");
    }
}
