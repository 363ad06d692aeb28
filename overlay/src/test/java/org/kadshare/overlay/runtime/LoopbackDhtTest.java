package org.kadshare.overlay.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.testing.LoopbackDhtNetwork.await;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.dht.DhtStatus;
import org.kadshare.overlay.testing.LoopbackDhtNetwork;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.NodeIdentity;

/**
 * Thirty-two real nodes over real UDP sockets in one JVM, each on its own 127.0.1.x address with the
 * one-contact-per-IP rule on, with the test times of {@link LoopbackDhtNetwork#fastConfig()} (query
 * timeouts for a loaded machine where no node leaves).
 */
class LoopbackDhtTest {
    private static final DhtConfig CONFIG = LoopbackDhtNetwork.fastConfig();
    /**
     * {@link #CONFIG} with the production query timeout (5 s) for 32 nodes sharing one loaded
     * machine. The 512 lookups started at once (every node, every record, holders and manifests)
     * queue on the nodes' event loops, so on a busy 2-core machine answers come 1 to 3 s after
     * their query, while the RTTs measured before (a few ms) leave the RTT-derived hard timeout at
     * its 1 s floor. A lookup takes such late answers up to the query timeout (it used to fail
     * every contact at the hard timeout and end with nothing); the fast config's 2 s would still
     * cut the slowest of them. Nobody leaves in this test; the fast times stay for the test where
     * nodes stop.
     */
    private static final DhtConfig LOADED_MACHINE_CONFIG = loadedMachineTimes(CONFIG);
    private static final int NODES = 32;
    private static final int PUBLISHERS = 8;
    private static final int FIRST_PUBLISHER = NODES - PUBLISHERS;
    private static final long RECOVERY_DEADLINE_MILLIS = 20_000;

    /** What publisher {@code p} announced: its content, TCP port and manifest. */
    private record Published(ContentId content, InetSocketAddress holder, Manifest manifest) {}

    private static List<Published> publish(LoopbackDhtNetwork net) {
        SplittableRandom random = new SplittableRandom(2024);
        List<Published> published = new ArrayList<>();
        List<CompletableFuture<Integer>> stores = new ArrayList<>();
        for (int p = FIRST_PUBLISHER; p < NODES; p++) {
            byte[] idBytes = new byte[ContentId.LENGTH_BYTES];
            random.nextBytes(idBytes);
            ContentId content = ContentId.of(idBytes);
            int port = 7000 + p;
            Manifest manifest = Manifest.sign(content, 1000 + p, "file-" + p + ".bin", "application/octet-stream",
                    1_700_000_000L, NodeIdentity.generate());
            Dht publisher = net.node(p);
            stores.add(publisher.announce(content, port));
            stores.add(publisher.putManifest(manifest));
            published.add(new Published(content, new InetSocketAddress(publisher.localAddress().getAddress(), port),
                    manifest));
        }
        for (int i = 0; i < stores.size(); i++) {
            assertThat(await(stores.get(i), "store " + i)).as("nodes that accepted store %d", i).isPositive();
        }
        return published;
    }

    /** The lookups of {@code published} that fail from some running node, as readable lines. */
    private static List<String> failedLookups(LoopbackDhtNetwork net, List<Published> published) {
        List<CompletableFuture<String>> checks = new ArrayList<>();
        for (Dht node : net.running()) {
            for (Published p : published) {
                checks.add(node.findHolders(p.content()).thenCombine(node.findManifests(p.content()),
                        (holders, manifests) -> holders.contains(p.holder()) && manifests.contains(p.manifest())
                                ? null
                                : node.nodeId() + " on " + p.content() + ": holders " + holders + ", manifests "
                                + manifests.size()));
            }
        }
        List<String> failed = new ArrayList<>();
        for (CompletableFuture<String> c : checks) {
            String failure = await(c, "lookup");
            if (failure != null) {
                failed.add(failure);
            }
        }
        return failed;
    }

    private static DhtConfig loadedMachineTimes(DhtConfig c) {
        DhtConfig d = DhtConfig.defaults();
        return new DhtConfig(c.k(), c.alpha(), c.replacementCacheSize(), c.maxFailures(),
                c.questionableAfterMillis(), c.bucketRefreshMillis(), c.onePerIp(),
                d.queryTimeoutMillis(), c.rttInitialMillis(), c.rttMinMillis(), c.rttMaxMillis(), c.maxPendingQueries(),
                c.tokenRotationMillis(),
                c.queriesPerSecond(), c.queryBurst(), c.rateLimitedSources(),
                c.holderTtlMillis(), c.reannounceMillis(), c.holdersPerKey(), c.holderRecords(),
                c.holdersPerKeyPerIp(), c.holdersReturned(),
                c.manifestTtlMillis(), c.republishMillis(), c.manifestsPerKey(), c.manifestsPerKeyPerIp(),
                c.manifestRecords(), c.cacheMinTtlMillis(), c.maintenanceMillis(), c.diversity(), c.lookupPaths());
    }

    @Test
    void thirtyTwoNodesJoinThroughOneBootstrapAndEveryNodeFindsEveryHolderAndManifest() throws Exception {
        try (LoopbackDhtNetwork net = LoopbackDhtNetwork.joined(NODES, LOADED_MACHINE_CONFIG)) {
            for (Dht node : net.nodes()) {
                assertThat(await(node.routingTableSize(), "table size")).as("table of %s", node)
                        .isGreaterThanOrEqualTo(LOADED_MACHINE_CONFIG.k());
            }
            List<Published> published = publish(net);
            assertThat(failedLookups(net, published)).isEmpty();
        }
    }

    /**
     * The third of the nodes that hold the most records (none of them a publisher) stop; lookups from
     * every survivor must then find every record again, once the publishers' re-announce and
     * republish timers have stored them at the new closest nodes.
     */
    @Test
    void lookupsSucceedAgainOnceRecordsAreReannouncedAfterAThirdOfTheNodesStop() throws Exception {
        try (LoopbackDhtNetwork net = LoopbackDhtNetwork.joined(NODES, CONFIG)) {
            List<Published> published = publish(net);
            List<Integer> byRecords = new ArrayList<>();
            int[] records = new int[NODES];
            for (int i = 0; i < FIRST_PUBLISHER; i++) {
                DhtStatus s = await(net.node(i).status(), "status of node " + i);
                records[i] = s.holderRecords() + s.manifestRecords();
                byRecords.add(i);
            }
            byRecords.sort(Comparator.comparingInt((Integer i) -> -records[i]).thenComparing(i -> i));
            Set<Integer> stopped = new TreeSet<>(byRecords.subList(0, NODES / 3 + 1));
            stopped.forEach(net::stop);
            assertThat(stopped).hasSize(11);
            long deadline = System.nanoTime() + RECOVERY_DEADLINE_MILLIS * 1_000_000L;
            List<String> failed = failedLookups(net, published);
            while (!failed.isEmpty() && System.nanoTime() < deadline) {
                failed = failedLookups(net, published);
            }
            assertThat(failed).as("lookups still failing %d ms after stopping nodes %s",
                    RECOVERY_DEADLINE_MILLIS, stopped).isEmpty();
            for (Dht node : net.running()) {
                assertThat(await(node.status(), "status").routingContacts()).as("table of %s", node).isPositive();
            }
        }
    }
}
