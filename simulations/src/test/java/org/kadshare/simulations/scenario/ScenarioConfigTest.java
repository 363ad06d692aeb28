package org.kadshare.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioConfigTest {

    @Test
    void flagsOverrideTheScenarioDefaults() {
        ScenarioConfig c = ScenarioConfig.parse(List.of("--scenario", "partition", "--nodes", "1000",
                "--lookups", "50", "--loss", "1.5%", "--partition", "10m", "--duration", "90s", "--seed", "-3",
                "--deterministic-only"));
        assertThat(c.scenario()).isEqualTo("partition");
        assertThat(c.nodes()).isEqualTo(1000);
        assertThat(c.lookups()).isEqualTo(50);
        assertThat(c.lossRate()).isEqualTo(0.015);
        assertThat(c.partitionMillis()).isEqualTo(600_000);
        assertThat(c.durationMillis()).isEqualTo(90_000);
        assertThat(c.seed()).isEqualTo(-3);
        assertThat(c.churn()).isNull();
    }

    @Test
    void aChurnRateBecomesExponentialSessionsWithTheMatchingMedian() {
        ScenarioConfig c = ScenarioConfig.parse(List.of("--scenario", "quiet", "--churn", "1%/min"));
        // Leaving at 1%/min means a mean session of 100 min, so a median of 100 ln 2 min.
        assertThat(c.churn().medianMillis()).isCloseTo(Math.log(2) * 100 * 60_000, org.assertj.core.data.Offset.offset(1.0));
        ScenarioConfig w = ScenarioConfig.parse(List.of("--churn", "60%/h", "--session", "weibull:0.5"));
        assertThat(w.churn().toString()).startsWith("weibull(shape=0.50");
        assertThat(w.churn().medianMillis()).isCloseTo(Math.log(2) * 100 * 60_000, org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void theChurnScenarioChurnsByDefaultAndNoneTurnsItOff() {
        assertThat(ScenarioConfig.parse(List.of("--scenario", "churn")).churnLabel()).isEqualTo("1%/min");
        assertThat(ScenarioConfig.parse(List.of("--scenario", "churn", "--churn", "none")).churn()).isNull();
    }

    @Test
    void badFlagsFailWithAMessageNamingThem() {
        assertThatThrownBy(() -> ScenarioConfig.parse(List.of("--nodez", "3"))).hasMessageContaining("--nodez");
        assertThatThrownBy(() -> ScenarioConfig.parse(List.of("--scenario", "nope"))).hasMessageContaining("nope");
        assertThatThrownBy(() -> ScenarioConfig.parse(List.of("--duration", "10"))).hasMessageContaining("unit");
        assertThatThrownBy(() -> ScenarioConfig.parse(List.of("--nodes"))).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> ScenarioConfig.parse(List.of("--churn", "3/min"))).hasMessageContaining("--churn");
        assertThatThrownBy(() -> ScenarioConfig.parse(List.of("--nodes", "many"))).hasMessageContaining("--nodes needs a whole number");
        assertThatThrownBy(() -> ScenarioConfig.parse(List.of("--loss", "lots"))).hasMessageContaining("--loss");
    }

    @Test
    void durationsPrintInTheirShortestExactForm() {
        assertThat(Durations.format(Durations.parseMillis("90s"))).isEqualTo("90s");
        assertThat(Durations.format(Durations.parseMillis("120s"))).isEqualTo("2m");
        assertThat(Durations.format(Durations.parseMillis("1500ms"))).isEqualTo("1500ms");
        assertThat(Durations.format(Durations.parseMillis("2h"))).isEqualTo("2h");
    }
}
