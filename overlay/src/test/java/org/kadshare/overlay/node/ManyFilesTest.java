package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.node.LoopbackNodes.await;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.testing.LoopbackDhtNetwork;
import org.kadshare.storage.ContentId;

/**
 * A holder that shares more files than the old per-IP record limit (50), and many gets at once
 * through one node, on real sockets (the 2,000-file run is demo/many-files.sh).
 */
class ManyFilesTest {
    private static final int FILES = 120;
    private static final int GETS = 50;
    /**
     * The test times with renewals as rare as on a real node: re-announcing 120 files every
     * 1.5 s would be over any peer's rate limit.
     */
    private static final DhtConfig RENEWING_HOURLY = LoopbackDhtNetwork.fastConfig()
            .withRecordTimes(7_200_000, 3_600_000, 7_200_000, 3_600_000);

    @TempDir
    Path tmp;

    @Test
    void everyFileOfAHolderSharingAHundredAndTwentyIsFoundAndFiftyGetsAtOnceThroughOneNodeAllSucceed() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"))) {
            List<Node> nodes = net.startJoined(4, c -> c.withDht(RENEWING_HOURLY));
            Node holder = nodes.get(1);
            List<ContentId> ids = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            for (int f = 0; f < FILES; f++) {
                Path file = Files.writeString(tmp.resolve("f" + f + ".txt"), "file " + f + " of many\n",
                        StandardCharsets.US_ASCII);
                files.add(file);
                PutResult put = holder.put(file, PutOptions.defaults());
                ids.add(put.stored().id());
                assertThat(await(put.announced(), "announcing file " + f)).as("nodes storing file %d", f)
                        .isPositive();
            }
            assertThat(nodes.get(0).status().holderRecords()).as("records another node keeps for the holder")
                    .isGreaterThanOrEqualTo(FILES);

            InetSocketAddress serving = new InetSocketAddress(holder.transferAddress().getAddress(),
                    holder.transferAddress().getPort());
            for (ContentId id : ids) {
                assertThat(await(nodes.get(2).providers(id), "providers of " + id)).contains(serving);
            }

            Node hub = nodes.get(3);
            int contactsBefore = hub.status().routingContacts();
            List<GetTask> gets = new ArrayList<>();
            for (int g = 0; g < GETS; g++) {
                gets.add(hub.get(ids.get(g), tmp.resolve("got" + g + ".txt"), GetOptions.defaults()));
            }
            for (int g = 0; g < GETS; g++) {
                await(gets.get(g).result(), "get " + g);
                assertThat(Files.readAllBytes(tmp.resolve("got" + g + ".txt")))
                        .isEqualTo(Files.readAllBytes(files.get(g)));
            }
            assertThat(hub.status().routingContacts()).isEqualTo(contactsBefore).isEqualTo(3);
        }
    }
}
