package org.kadshare.cli;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Map;
import java.util.function.Supplier;
import org.kadshare.overlay.dht.KrpcTraffic;

/**
 * The DHT's traffic as Prometheus metrics: queries received and sent by KRPC method, and the
 * lookups' durations as a histogram by kind, all read from {@link KrpcTraffic} at scrape time.
 */
final class DhtTrafficMetrics {
    private DhtTrafficMetrics() {
    }

    static void register(PrometheusRegistry registry, Supplier<KrpcTraffic.Snapshot> traffic) {
        CounterWithCallback.builder().name("kadshare_dht_queries_received_total")
                .help("DHT queries received from others and not rate-limited, by method").labelNames("method")
                .callback(cb -> traffic.get().queriesIn().forEach((method, n) -> cb.call(n, method)))
                .register(registry);
        CounterWithCallback.builder().name("kadshare_dht_queries_sent_total")
                .help("DHT queries this node sent, by method").labelNames("method")
                .callback(cb -> traffic.get().queriesOut().forEach((method, n) -> cb.call(n, method)))
                .register(registry);
        registry.register(() -> lookups(traffic.get()));
    }

    static HistogramSnapshot lookups(KrpcTraffic.Snapshot traffic) {
        double[] bounds = new double[KrpcTraffic.LOOKUP_BUCKET_MILLIS.length + 1];
        for (int i = 0; i < KrpcTraffic.LOOKUP_BUCKET_MILLIS.length; i++) {
            bounds[i] = KrpcTraffic.LOOKUP_BUCKET_MILLIS[i] / 1000.0;
        }
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        HistogramSnapshot.Builder h = HistogramSnapshot.builder().name("kadshare_dht_lookup_duration_seconds")
                .help("Time from a DHT lookup's start to its end, by kind (nodes, peers, manifests)");
        traffic.lookups().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                h.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .labels(Labels.of("kind", e.getKey()))
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, e.getValue().counts()))
                        .sum(e.getValue().sumMillis() / 1000.0).build()));
        return h.build();
    }
}
