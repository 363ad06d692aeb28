package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.KrpcTraffic;

class DhtTrafficMetricsTest {

    @Test
    void queriesByMethodAndLookupDurationsInSecondsWithCumulativeBucketsAreScraped() throws Exception {
        KrpcTraffic.Snapshot traffic = new KrpcTraffic.Snapshot(Map.of("get_peers", 3L), Map.of("find_node", 7L),
                Map.of("peers", new KrpcTraffic.LookupHistogram(new long[] {2, 0, 1, 0, 0, 0, 0, 0, 0, 1}, 40_300)));
        PrometheusRegistry registry = new PrometheusRegistry();
        DhtTrafficMetrics.register(registry, () -> traffic);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, registry.scrape());
        String text = out.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("kadshare_dht_queries_received_total{method=\"get_peers\"} 3.0")
                .contains("kadshare_dht_queries_sent_total{method=\"find_node\"} 7.0")
                .contains("kadshare_dht_lookup_duration_seconds_bucket{kind=\"peers\",le=\"0.05\"} 2\n")
                .contains("kadshare_dht_lookup_duration_seconds_bucket{kind=\"peers\",le=\"0.1\"} 2\n")
                .contains("kadshare_dht_lookup_duration_seconds_bucket{kind=\"peers\",le=\"0.25\"} 3\n")
                .contains("kadshare_dht_lookup_duration_seconds_bucket{kind=\"peers\",le=\"30.0\"} 3\n")
                .contains("kadshare_dht_lookup_duration_seconds_bucket{kind=\"peers\",le=\"+Inf\"} 4\n")
                .contains("kadshare_dht_lookup_duration_seconds_count{kind=\"peers\"} 4\n")
                .contains("kadshare_dht_lookup_duration_seconds_sum{kind=\"peers\"} 40.3\n");
    }
}
