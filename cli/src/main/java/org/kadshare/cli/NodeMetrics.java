package org.kadshare.cli;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.kadshare.overlay.dht.DhtCounters;
import org.kadshare.overlay.dht.DhtStatus;
import org.kadshare.overlay.dht.KrpcTraffic;
import org.kadshare.overlay.node.Node;
import org.kadshare.overlay.runtime.UdpCounters;
import org.kadshare.overlay.transfer.PeerClass;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.tls.TransportSecurity;
import org.kadshare.storage.HotCacheStats;

/**
 * A running node's metrics in Prometheus' text format, for {@code GET /metrics}. Every value is
 * read from the node's own counters when scraped (callbacks), so nothing here counts twice or
 * holds state; names follow Prometheus' conventions ({@code _total} counters, {@code _bytes}).
 */
final class NodeMetrics {
    static final long DHT_STATUS_TIMEOUT_MILLIS = 2_000;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
    private final Node node;

    NodeMetrics(Node node) {
        this.node = node;
        registerDht();
        registerTransfers();
        DhtTrafficMetrics.register(registry, this::dhtTraffic);
        registerTransferObjects();
        registerEncryption();
        JvmMetrics.builder().register(registry);
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        writer.write(out, registry.scrape());
        return out.toByteArray();
    }

    private DhtStatus dhtStatus() {
        try {
            return node.dhtStatus().get(DHT_STATUS_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the DHT did not report its status: " + e, e);
        }
    }

    private KrpcTraffic.Snapshot dhtTraffic() {
        try {
            return node.dhtTraffic().get(DHT_STATUS_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the DHT did not report its traffic: " + e, e);
        }
    }

    private void registerDht() {
        CounterWithCallback.builder().name("kadshare_dht_datagrams_received_total")
                .help("UDP datagrams handed to the DHT").callback(cb -> cb.call(node.socketCounters()
                        .datagramsReceived())).register(registry);
        CounterWithCallback.builder().name("kadshare_dht_datagrams_sent_total")
                .help("UDP datagrams the DHT socket accepted").callback(cb -> cb.call(node.socketCounters()
                        .datagramsSent())).register(registry);
        CounterWithCallback.builder().name("kadshare_dht_queries_answered_total")
                .help("DHT queries from others answered with a response")
                .callback(cb -> cb.call(dhtStatus().counters().queriesAnswered())).register(registry);
        CounterWithCallback.builder().name("kadshare_dht_own_queries_paced_total")
                .help("Our own DHT queries held back to stay under a peer's rate limit")
                .callback(cb -> cb.call(dhtStatus().counters().queriesPaced())).register(registry);
        CounterWithCallback.builder().name("kadshare_dht_lookups_joined_total")
                .help("Lookups that joined one already running for the same key")
                .callback(cb -> cb.call(dhtStatus().counters().lookupsJoined())).register(registry);
        CounterWithCallback.builder().name("kadshare_dht_dropped_total")
                .help("DHT datagrams or queries dropped or refused, by reason").labelNames("reason")
                .callback(cb -> {
                    DhtCounters c = dhtStatus().counters();
                    UdpCounters u = node.socketCounters();
                    cb.call(c.garbage(), "garbage");
                    cb.call(c.malformed(), "malformed");
                    cb.call(c.rateLimited(), "rate_limited");
                    cb.call(c.unknownReplies(), "unknown_reply");
                    cb.call(c.queriesRefused(), "own_query_refused");
                    cb.call(u.droppedOversize(), "oversize");
                    cb.call(u.receiverFailures(), "receiver_failure");
                    cb.call(u.sendFailures(), "send_failure");
                }).register(registry);
        GaugeWithCallback.builder().name("kadshare_dht_routing_contacts")
                .help("Contacts in the routing table, by state").labelNames("state")
                .callback(cb -> {
                    DhtStatus s = dhtStatus();
                    cb.call(s.liveContacts(), "live");
                    cb.call(s.routingContacts() - s.liveContacts(), "questionable");
                }).register(registry);
        GaugeWithCallback.builder().name("kadshare_dht_records")
                .help("Records this node stores for the DHT, by kind").labelNames("kind")
                .callback(cb -> {
                    DhtStatus s = dhtStatus();
                    cb.call(s.holderRecords(), "holder");
                    cb.call(s.manifestRecords(), "manifest");
                }).register(registry);
        GaugeWithCallback.builder().name("kadshare_dht_pending_queries")
                .help("This node's own DHT queries waiting for an answer")
                .callback(cb -> cb.call(dhtStatus().pendingQueries())).register(registry);
    }

    private void registerTransfers() {
        CounterWithCallback.builder().name("kadshare_upload_bytes_total")
                .help("Bytes of verified spans served to other nodes")
                .callback(cb -> cb.call(node.bytesServed())).register(registry);
        CounterWithCallback.builder().name("kadshare_upload_spans_total")
                .help("Spans served to other nodes")
                .callback(cb -> cb.call(node.spansServed())).register(registry);
        CounterWithCallback.builder().name("kadshare_download_bytes_total")
                .help("Bytes of the files this node's gets completed")
                .callback(cb -> cb.call(node.bytesFetched())).register(registry);
        GaugeWithCallback.builder().name("kadshare_downloads_in_progress")
                .help("Gets running now").callback(cb -> cb.call(node.downloads().size())).register(registry);
        GaugeWithCallback.builder().name("kadshare_download_in_progress_bytes")
                .help("Bytes fetched and verified so far by the gets running now")
                .callback(cb -> cb.call(node.downloads().stream().mapToLong(DownloadProgress::bytesDone).sum()))
                .register(registry);
        CounterWithCallback.builder().name("kadshare_cache_requests_total")
                .help("Hot-block cache look-ups, by result").labelNames("result")
                .callback(cb -> {
                    HotCacheStats c = node.cacheStats();
                    cb.call(c.hitCount(), "hit");
                    cb.call(c.missCount(), "miss");
                }).register(registry);
        GaugeWithCallback.builder().name("kadshare_cache_bytes")
                .help("Bytes held by the hot-block cache")
                .callback(cb -> cb.call(node.cacheStats().weightBytes())).register(registry);
        GaugeWithCallback.builder().name("kadshare_files_shared")
                .help("Files this node shares").callback(cb -> cb.call(node.shared().size())).register(registry);
    }

    /** Bytes by direction and peer class, and the transfers by direction and state. */
    private void registerTransferObjects() {
        CounterWithCallback.builder().name("kadshare_transfer_bytes_total")
                .help("Verified span bytes sent (up, as served) and fetched (down, counted as each download run"
                        + " stops), by the peer's address class").labelNames("direction", "peer_class")
                .callback(cb -> {
                    for (PeerClass c : PeerClass.values()) {
                        cb.call(node.bytesServedTo(c), "up", c.label());
                        cb.call(node.transfers().bytesFetchedFrom(c), "down", c.label());
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("kadshare_transfers")
                .help("Transfers listed by the node: downloads by state (finished ones: the latest remembered),"
                        + " uploads in progress").labelNames("direction", "state")
                .callback(cb -> {
                    node.transfers().downloadsByState().forEach((state, n) ->
                            cb.call(n, "download", state.name().toLowerCase(Locale.ROOT)));
                    cb.call(node.transfers().uploadsInProgress(), "upload", "running");
                }).register(registry);
    }

    private void registerEncryption() {
        CounterWithCallback.builder().name("kadshare_block_connections_total")
                .help("Block-transfer connections, accepted or opened, by how they run: encrypted (TLS 1.3), "
                        + "clear, or refused for the encryption setting").labelNames("security")
                .callback(cb -> {
                    TransportSecurity t = node.transportSecurity();
                    cb.call(t.encryptedConnections(), "encrypted");
                    cb.call(t.clearConnections(), "clear");
                    cb.call(t.refusedConnections(), "refused");
                }).register(registry);
    }

    /** For tests: the metric names this registry exposes. */
    List<String> names() {
        return registry.scrape().stream().map(m -> m.getMetadata().getPrometheusName()).toList();
    }
}
