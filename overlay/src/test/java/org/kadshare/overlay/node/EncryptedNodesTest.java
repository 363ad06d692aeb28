package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.node.LoopbackNodes.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.transfer.tls.Encryption;

class EncryptedNodesTest {
    @TempDir
    Path tmp;

    private Path file(String name, int size) throws Exception {
        return LoopbackNodes.randomFile(tmp, name, size, size);
    }

    private static void fetch(Node node, PutResult put, Path destination) throws Exception {
        node.get(put.stored().id(), destination, GetOptions.defaults()).result().get(60, TimeUnit.SECONDS);
    }

    @Test
    void nodesWithDefaultSettingsTransferEncryptedAndANodeThatRefusesEncryptionStillGetsInClear() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"))) {
            List<Node> nodes = net.startJoined(3);
            Node holder = nodes.get(1);
            Path original = file("report.pdf", 700_000);
            PutResult put = holder.put(original, PutOptions.defaults());
            await(put.announced(), "announcing the put");

            fetch(nodes.get(2), put, tmp.resolve("encrypted.pdf"));
            assertThat(Files.readAllBytes(tmp.resolve("encrypted.pdf"))).isEqualTo(Files.readAllBytes(original));
            assertThat(nodes.get(2).transportSecurity().mode()).isEqualTo(Encryption.PREFER);
            assertThat(nodes.get(2).transportSecurity().encryptedConnections()).isPositive();
            assertThat(nodes.get(2).transportSecurity().clearConnections()).isZero();
            assertThat(holder.transportSecurity().clearConnections()).isZero();

            Node refusing = net.start(3, c -> c.withEncryption(Encryption.REFUSE));
            await(refusing.join(List.of(nodes.get(0).dhtAddress())), "the refusing node joining");
            fetch(refusing, put, tmp.resolve("clear.pdf"));
            assertThat(Files.readAllBytes(tmp.resolve("clear.pdf"))).isEqualTo(Files.readAllBytes(original));
            assertThat(refusing.transportSecurity().clearConnections()).isPositive();
            assertThat(refusing.transportSecurity().encryptedConnections()).isZero();
        }
    }
}
