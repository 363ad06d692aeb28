package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kadshare.cli.NodeCluster.Member;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.overlay.runtime.DhtOptions;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.MediaTypes;
import org.kadshare.storage.NodeIdentity;

/**
 * Manifest length poisoning against real {@code node} processes: an attacker's DHT node (in this
 * JVM) publishes validly self-signed manifests that claim a wrong length for a real content ID.
 */
class ManifestPoisoningIT extends ClusterFixture {
    private static final int LENGTH = 1 << 20;

    /**
     * Regression: nine such manifests from three keys made every get fail ("it gives the length as
     * 1048576 bytes, the manifest says 1048577").
     */
    @Test
    void nineForgedManifestsFromThreeKeysClaimingAWrongLengthLeaveTheGetSucceeding() throws Exception {
        Member boot = cluster.start();
        Member holder = cluster.start(boot.endpoint());
        byte[] bytes = new byte[LENGTH];
        new Random(12).nextBytes(bytes);
        Path file = Files.write(tmp.resolve("real.bin"), bytes);
        NodeProcess.Result put = NodeCluster.run(holder, "put", file.toString());
        assertThat(put.exitCode()).as(put + holder.log()).isZero();
        ContentId id = ContentIds.parse(put.stdout().strip());

        try (Dht attacker = Dht.start(DhtOptions.bindTo(new InetSocketAddress("127.0.0.1", 0)))) {
            InetSocketAddress bootAddress = new InetSocketAddress(boot.address(), boot.port());
            assertThat(attacker.join(List.of(bootAddress)).get(30, TimeUnit.SECONDS)).isPositive();
            for (int key = 0; key < 3; key++) {
                NodeIdentity forger = NodeIdentity.loadOrCreate(Files.createDirectories(tmp.resolve("forger-" + key)));
                for (int copy = 0; copy < 3; copy++) {
                    Manifest forged = Manifest.sign(id, LENGTH + 1, "forged-" + copy + ".bin", MediaTypes.DEFAULT,
                            1_000 + copy, forger);
                    assertThat(attacker.putManifest(forged).get(30, TimeUnit.SECONDS)).isPositive();
                }
            }
            assertThat(attacker.findManifests(id).get(30, TimeUnit.SECONDS))
                    .as("the forged manifests are in the DHT").anyMatch(m -> m.lengthBytes() == LENGTH + 1);

            Path fresh = tmp.resolve("getter");
            Path out = tmp.resolve("fetched.bin");
            NodeProcess.Result get = NodeProcess.run(java.util.Map.of(), "--data-dir", fresh.toString(), "get",
                    id.toHex(), "-o", out.toString(), "--bootstrap", boot.endpoint(), "--timeout", "60s");
            assertThat(get.exitCode()).as(get + holder.log()).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(bytes);

            NodeProcess.Result kept = NodeProcess.run(java.util.Map.of(), "--data-dir", fresh.toString(), "manifest",
                    id.toHex());
            assertThat(kept.exitCode()).as(kept.toString()).isZero();
            assertThat(kept.stdout()).contains("length     " + LENGTH + "\n").doesNotContain(Integer.toString(LENGTH + 1));
        }
    }
}
