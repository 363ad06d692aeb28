package org.kadshare.cli;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.kadshare.overlay.dht.DhtCounters;
import org.kadshare.overlay.dht.DhtStatus;
import org.kadshare.overlay.dht.KrpcTraffic;
import org.kadshare.overlay.node.Node;
import org.kadshare.overlay.runtime.UdpCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * With {@code --log dht=debug}, a running node logs its KRPC traffic every
 * {@link #INTERVAL_SECONDS}: datagrams in and out, queries answered, and what was dropped and
 * why, with the routing table's size, then the queries by KRPC method each way and the lookups
 * finished with their mean time; a line only when something changed. Off (no thread at all)
 * at any other level.
 */
final class TrafficLog implements AutoCloseable {
    static final long INTERVAL_SECONDS = 30;
    static final long STATUS_TIMEOUT_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger("org.kadshare.overlay.dht.Traffic");

    private final Node node;
    private final ScheduledExecutorService timer;
    private String last = "";

    private TrafficLog(Node node, ScheduledExecutorService timer) {
        this.node = node;
        this.timer = timer;
    }

    static TrafficLog start(Node node) {
        if (!LOG.isDebugEnabled()) {
            return new TrafficLog(node, null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dht-traffic-log");
            t.setDaemon(true);
            return t;
        });
        TrafficLog log = new TrafficLog(node, timer);
        timer.scheduleWithFixedDelay(log::logIfChanged, INTERVAL_SECONDS, INTERVAL_SECONDS, TimeUnit.SECONDS);
        return log;
    }

    private void logIfChanged() {
        try {
            String line = line(node.dhtStatus().get(STATUS_TIMEOUT_SECONDS, TimeUnit.SECONDS), node.socketCounters())
                    + "; " + queries(node.dhtTraffic().get(STATUS_TIMEOUT_SECONDS, TimeUnit.SECONDS));
            if (!line.equals(last)) {
                LOG.debug(line);
                last = line;
            }
        } catch (Exception e) {
            LOG.debug("no DHT traffic figures: {}", e.toString());
        }
    }

    static String line(DhtStatus s, UdpCounters u) {
        DhtCounters c = s.counters();
        return "krpc: " + u.datagramsReceived() + " datagrams in, " + u.datagramsSent() + " out, "
                + c.queriesAnswered() + " queries answered, " + s.pendingQueries() + " of ours pending; dropped: "
                + c.garbage() + " garbage, " + c.malformed() + " malformed, " + c.rateLimited() + " rate-limited, "
                + c.unknownReplies() + " unknown replies, " + u.droppedOversize() + " oversize, "
                + u.sendFailures() + " unsent, " + c.queriesRefused() + " own queries refused; " + c.queriesPaced()
                + " own queries paced, " + c.lookupsJoined() + " lookups joined; routing table "
                + s.liveContacts() + " live of " + s.routingContacts();
    }

    /**
     * {@code "queries in: find_node 2, get_peers 3; out: ...; lookups: peers 3 (mean 21 ms), ..."}:
     * the KRPC methods in each direction and the lookups finished by kind.
     */
    static String queries(KrpcTraffic.Snapshot t) {
        String lookups = t.lookups().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue().total() + " (mean "
                        + e.getValue().sumMillis() / Math.max(1, e.getValue().total()) + " ms)")
                .collect(Collectors.joining(", "));
        return "queries in: " + byMethod(t.queriesIn()) + "; out: " + byMethod(t.queriesOut()) + "; lookups: "
                + (lookups.isEmpty() ? "none" : lookups);
    }

    private static String byMethod(Map<String, Long> counts) {
        return counts.isEmpty() ? "none" : counts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
