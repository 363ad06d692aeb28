package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.testing.UdpDelayRelay;
import org.kadshare.storage.ContentId;

/**
 * Real nodes over real UDP sockets on loopback: the getter reaches the DHT only through a
 * userspace relay that, once the getter has measured loopback round trips (a hard timeout at its
 * 1 s floor), delays every DHT answer by 1.5 to 3 s, as an overloaded host or a slow path does.
 * The holder is the getter's only contact and answers get_peers with itself.
 */
class SlowDhtAnswersGetTest {
    @TempDir
    Path tmp;

    @Test
    void aGetterWhoseDhtAnswersAllComeOneAndAHalfToThreeSecondsLateStillFindsAndFetchesTheFile() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"));
                ThroughRelay pair = ThroughRelay.start(net, tmp, "slow.bin", 300_000, 41, 7)) {
            LoopbackNodes.await(pair.getter().providers(ContentId.of(new byte[ContentId.LENGTH_BYTES])),
                    "a lookup at loopback speed");
            pair.relay().delay(1_500, 3_000);
            Path copy = tmp.resolve("copy.bin");
            GetTask task = pair.getter().get(pair.id(), copy, GetOptions.defaults());
            task.result().get(30, TimeUnit.SECONDS);
            assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(pair.original()));
            assertThat(pair.relay().left()).as("the relay's datagram bound was not what ended it").isPositive();
        }
    }

    @Test
    void aSmallFileWhoseHoldersWereKnownAtOnceIsStillNamedFromItsManifestThatCameLate() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"));
                ThroughRelay pair = ThroughRelay.start(net, tmp, "report.bin", 100_000, 43, 9)) {
            // a lookup of the file's holders at loopback speed: the get hands them over at once
            assertThat(LoopbackNodes.await(pair.getter().providers(pair.id()), "the holders at loopback speed"))
                    .isNotEmpty();
            pair.relay().delay(1_500, 3_000);
            Path into = Files.createDirectories(tmp.resolve("out"));
            GetTask task = pair.getter().get(pair.id(), GetTarget.into(into), GetOptions.defaults());
            task.result().get(30, TimeUnit.SECONDS);
            assertThat(task.destination()).as("named from the manifest, not the content ID")
                    .isEqualTo(into.resolve("report.bin").toAbsolutePath());
            assertThat(Files.readAllBytes(task.destination())).isEqualTo(Files.readAllBytes(pair.original()));
        }
    }

    /**
     * A holder that put a random file, and a getter joined through the relay, whose only DHT
     * contact is the holder. Production DHT times: a 5 s query timeout, and no re-announce that
     * would store the holder's record at the getter (it would then find it without asking anyone).
     */
    private record ThroughRelay(Node getter, Path original, ContentId id, UdpDelayRelay relay) implements AutoCloseable {
        static ThroughRelay start(LoopbackNodes net, Path tmp, String name, int bytes, long fileSeed, long relaySeed)
                throws Exception {
            Node holder = net.start(0, c -> c.withDht(DhtConfig.defaults()));
            Path original = LoopbackNodes.randomFile(Files.createDirectories(tmp.resolve("in")), name, bytes, fileSeed);
            ContentId id = holder.put(original, PutOptions.defaults()).stored().id();
            Node getter = net.start(1, c -> c.withDht(DhtConfig.defaults()));
            UdpDelayRelay relay = new UdpDelayRelay(LoopbackNodes.address(40), LoopbackNodes.address(41),
                    holder.dhtAddress(), 2_000, 60_000, relaySeed);
            try {
                LoopbackNodes.await(getter.join(List.of(relay.front())), "joining through the relay");
            } catch (RuntimeException | Error e) {
                relay.close();
                throw e;
            }
            return new ThroughRelay(getter, original, id, relay);
        }

        @Override
        public void close() {
            relay.close();
        }
    }
}
