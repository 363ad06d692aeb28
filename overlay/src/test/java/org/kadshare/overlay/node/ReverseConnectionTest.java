package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kadshare.overlay.node.LoopbackNodes.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReverseConnectionTest {
    @TempDir
    Path tmp;

    private Path file(String name, int size) throws Exception {
        return LoopbackNodes.randomFile(tmp, name, size, size);
    }

    @Test
    void aHolderThatCannotBeReachedServesAGetterThatCanThroughAConnectionItOpensItself() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"))) {
            List<Node> nodes = net.startJoined(4);
            Node holder = nodes.get(1);
            holder.unreachableFlag().set(true);
            Path original = file("behind-nat.bin", 900_000);
            PutResult put = holder.put(original, PutOptions.defaults());
            await(put.announced(), "announcing the put");
            assertThat(await(nodes.get(3).providers(put.stored().id()), "providers"))
                    .doesNotContain(holder.transferAddress());

            Node getter = nodes.get(2);
            Path copy = tmp.resolve("copy.bin");
            getter.get(put.stored().id(), copy, GetOptions.defaults()).result().get(60, TimeUnit.SECONDS);

            assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(original));
            assertThat(holder.server().reverseConnectionsOpened()).isPositive();
            assertThat(getter.server().reverseConnectionsAccepted()).isPositive();
            assertThat(getter.transportSecurity().encryptedConnections()).isPositive();
            assertThat(getter.transportSecurity().clearConnections()).isZero();
        }
    }

    @Test
    void aGetterThatCannotBeReachedEitherFailsSayingNeitherSideCanConnect() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"))) {
            List<Node> nodes = net.startJoined(3);
            Node holder = nodes.get(1);
            holder.unreachableFlag().set(true);
            PutResult put = holder.put(file("hidden.bin", 50_000), PutOptions.defaults());
            await(put.announced(), "announcing the put");

            Node getter = nodes.get(2);
            getter.unreachableFlag().set(true);
            GetTask task = getter.get(put.stored().id(), tmp.resolve("never.bin"), GetOptions.defaults());

            assertThatThrownBy(() -> task.result().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(GetFailedException.class)
                    .hasMessageContaining("the only holders are behind NATs that forward nothing, and so is this node")
                    .hasMessageContaining("(1 holder of " + put.stored().id() + " found)");
            assertThat(holder.server().reverseConnectionsOpened()).isZero();
        }
    }
}
