package org.kadshare.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kadshare.simulations.Simulate;
import org.kadshare.simulations.sim.Report;

class SimulateTest {

    private static String print(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Simulate.run(List.of(args), DirectoryNode.driver(), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void hostFiguresComeAfterTheSeparatorAndDeterministicOnlyLeavesThemOut() {
        String full = print("--scenario", "bootstrap", "--nodes", "30", "--seed", "5");
        String deterministic = print("--scenario", "bootstrap", "--nodes", "30", "--seed", "5", "--deterministic-only");
        assertThat(full).startsWith(deterministic);
        assertThat(full.substring(deterministic.length())).startsWith(Report.HOST_SEPARATOR + "\n")
                .contains("wall time: ", "heap in use at the end: ");
        assertThat(deterministic).doesNotContain(Report.HOST_SEPARATOR, "wall time");
        assertThat(deterministic).contains("joined: 30 of 30 nodes");
    }
}
