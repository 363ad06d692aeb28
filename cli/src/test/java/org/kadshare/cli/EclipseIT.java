package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The targeted eclipse against real {@code node} processes (hostile/eclipse-attack.sh): 12 honest
 * nodes and 8 attacker processes on one /24 with node IDs next to the file's key, answering like
 * nodes that hold nothing; each host is a network namespace on documentation addresses. All 3
 * gets must succeed. It needs root and {@code ip} (iproute2), and fails, naming what is missing,
 * when it cannot set up the namespaces.
 */
class EclipseIT {
    @TempDir
    Path tmp;

    @Test
    void threeOfThreeGetsSucceedWithEightAttackersOnOneSlash24NextToTheFilesKey() throws Exception {
        Path script = NodeProcess.repositoryRoot().resolve("hostile/eclipse-attack.sh");
        NodeProcess.Result r = NodeProcess.runCommand(List.of(script.toString(), "--gets", "3",
                "--out", tmp.resolve("run").toString()), Map.of("TMPDIR", tmp.toString()), Duration.ofSeconds(420));
        System.out.println(r.stdout());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("gets that succeeded: 3 of 3", "8 attackers on 203.0.113.0/24");
    }
}
