package org.kadshare.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.AddressDiversity;
import org.kadshare.overlay.dht.DhtConfig;

/**
 * With 20% of the nodes colluding attackers that answer with each other and store nothing (some
 * next to the attacked keys on one /24 each), at least 99% of lookups still find the holder; a
 * plain Kademlia lookup (one path, no subnet limit) against the same attackers does not.
 */
class EclipseScenarioTest {
    private static final Pattern SUCCEEDED = Pattern.compile("attacked keys lookups: started=(\\d+) succeeded=(\\d+)");

    private static String run(DhtConfig config) {
        ScenarioConfig scenario = ScenarioConfig.parse(List.of("--scenario", "eclipse", "--nodes", "300",
                "--lookups", "200", "--duration", "5m", "--seed", "2"));
        return Scenarios.run(scenario, new DhtNodeDriver(config)).deterministicText();
    }

    private static double attackedSuccess(String report) {
        Matcher m = SUCCEEDED.matcher(report);
        assertThat(m.find()).as("attacked keys line in %s", report).isTrue();
        return Double.parseDouble(m.group(2)) / Double.parseDouble(m.group(1));
    }

    private static double otherSuccess(String report) {
        Matcher m = Pattern.compile("other keys success rate: ([0-9.]+)").matcher(report);
        assertThat(m.find()).as("other keys line in %s", report).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void atLeast99PercentOfLookupsFindTheHolderWithOneNodeInFiveAnAttacker() {
        String report = run(DhtConfig.defaults());
        assertThat(report).contains("adversaries: 75 of 375 nodes");
        assertThat(attackedSuccess(report)).as(report).isGreaterThanOrEqualTo(0.99);
        assertThat(otherSuccess(report)).as(report).isGreaterThanOrEqualTo(0.99);
    }

    @Test
    void aPlainLookupWithoutSubnetLimitsIsCapturedOnTheAttackedKeys() {
        String report = run(DhtConfig.defaults().withLookupPaths(1).withDiversity(AddressDiversity.unlimited()));
        assertThat(attackedSuccess(report)).as(report).isLessThan(0.99);
    }
}
