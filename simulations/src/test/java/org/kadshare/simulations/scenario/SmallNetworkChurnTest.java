package org.kadshare.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real DHT core in small networks that lose 5% of their nodes a minute (the issue's
 * reproduction, the same flags as in docs/BENCHMARKS.md): every lookup finds its record and ends
 * soon after, in virtual time. Before lookups stopped waiting for departed contacts, the 8-node
 * run's median lookup took 5.3 s (the fixed hard timeout).
 */
class SmallNetworkChurnTest {
    private static final Pattern LATENCY = Pattern.compile("under churn latency: n=\\d+ p50=(\\d+)ms .* p99=(\\d+)ms");

    private static String run(int nodes) {
        ScenarioConfig config = ScenarioConfig.parse(List.of("--scenario", "churn", "--nodes", String.valueOf(nodes),
                "--lookups", "50", "--churn", "5%/min", "--duration", "30m", "--seed", "3"));
        return Scenarios.run(config, DhtNodeDriver.withDefaults()).deterministicText();
    }

    @ParameterizedTest(name = "{0} nodes")
    @ValueSource(ints = {8, 32})
    void underFivePercentChurnAMinuteEveryLookupSucceedsWithP50Under500msAndP99Under1500ms(int nodes) {
        String report = run(nodes);
        assertThat(report).contains("under churn lookups: started=50 succeeded=50 failed=0");
        assertThat(report).containsPattern("churn departures: [1-9]");
        Matcher latency = LATENCY.matcher(report);
        assertThat(latency.find()).as("latency line in %s", report).isTrue();
        assertThat(Long.parseLong(latency.group(1))).as("p50 ms in virtual time").isLessThan(500);
        assertThat(Long.parseLong(latency.group(2))).as("p99 ms in virtual time").isLessThan(1_500);
    }
}
