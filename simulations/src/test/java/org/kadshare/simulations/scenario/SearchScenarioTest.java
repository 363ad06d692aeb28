package org.kadshare.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A small run of the search scenario; the 1,000-node figures are in docs/BENCHMARKS.md. */
class SearchScenarioTest {

    @Test
    void everyNameOfASmallNetworkIsFoundByAnyOneOfItsWordsFromAnotherNode() {
        String report = Scenarios.run(ScenarioConfig.parse(List.of("--scenario", "search", "--nodes", "40",
                "--lookups", "100", "--duration", "1m", "--seed", "4")), DhtNodeDriver.withDefaults())
                .deterministicText();
        assertThat(report).contains("search names: 400 names of 3 words from 1200");
        assertThat(report).contains("search lookups: started=100 succeeded=100 failed=0 unfinished=0");
        assertThat(report).contains("search success rate: 1.0000");
    }
}
