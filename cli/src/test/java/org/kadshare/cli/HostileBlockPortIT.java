package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-peer attack on the block port against real {@code node} processes, at a size the
 * suite can afford (hostile/block-port-attack.sh with its defaults is the full one): idle and
 * slowloris connections from one address and half-sent 4 MiB frames from several, while a get
 * from another address must succeed and the holder's RSS stay within 64 MiB of its size before.
 */
class HostileBlockPortIT {
    @TempDir
    Path tmp;

    @Test
    void aGetSucceedsAndTheHolderStaysWithinItsMemoryWhilePeersAttackItsBlockPort() throws Exception {
        Path script = NodeProcess.repositoryRoot().resolve("hostile/block-port-attack.sh");
        NodeProcess.Result r = NodeProcess.runCommand(List.of(script.toString(), "--idle", "100", "--slowloris", "30",
                "--half-frames", "40", "--seconds", "20", "--size-mib", "2", "--max-growth-mib", "64",
                "--holder-java-opts", "-XX:+AlwaysPreTouch", "--out", tmp.resolve("run").toString()),
                Map.of("TMPDIR", tmp.toString()), Duration.ofSeconds(300));
        System.out.println(r.stdout());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("exit 0", "ok: the get succeeded");
        assertThat(r.stdout()).containsPattern("half_frame: \\d+ open, [1-9]\\d* closed by the node");
    }
}
