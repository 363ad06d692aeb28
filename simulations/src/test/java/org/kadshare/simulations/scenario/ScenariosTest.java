package org.kadshare.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenariosTest {

    private static String run(String... args) {
        return Scenarios.run(ScenarioConfig.parse(List.of(args)), DirectoryNode.driver()).deterministicText();
    }

    @Test
    void aScenarioReplayedFromItsSeedPrintsTheSameReport() {
        String[] args = {"--scenario", "churn", "--nodes", "60", "--lookups", "40", "--churn", "5%/min",
                "--loss", "2%", "--duration", "2m", "--seed", "9"};
        String first = run(args);
        assertThat(first).contains("under churn lookups", "records lost", "churn departures");
        assertThat(run(args)).isEqualTo(first);
    }

    @Test
    void anotherSeedGivesAnotherRun() {
        assertThat(run("--scenario", "quiet", "--nodes", "40", "--lookups", "20", "--loss", "5%", "--seed", "1"))
                .isNotEqualTo(run("--scenario", "quiet", "--nodes", "40", "--lookups", "20", "--loss", "5%",
                        "--seed", "2"));
    }

    @Test
    void lookupsSeeNothingAcrossAnOpenPartitionAndRecoverAfterItHeals() {
        String report = run("--scenario", "partition", "--nodes", "40", "--lookups", "30",
                "--partition", "3m", "--duration", "1m", "--seed", "3");
        assertThat(report).contains("before partition success rate: 1.0000");
        assertThat(report).contains("after heal success rate: 1.0000");
        assertThat(report).containsPattern("during partition across the partition: started=[1-9]");
        assertThat(report).containsPattern("datagrams: .* partitioned=[1-9]");
    }

    @Test
    void recordsOfCrashedPublishersExpireWhileRenewedOnesStay() {
        String report = run("--scenario", "records", "--nodes", "40", "--seed", "4");
        assertThat(report).contains("renewed records after 1.5 TTL success rate: 1.0000");
        assertThat(report).containsPattern("expired records still served: 0 of [1-9]");
    }
}
