package org.kadshare.overlay.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kadshare.overlay.testing.LoopbackDhtNetwork.await;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.testing.LoopbackDhtNetwork;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.NodeIdentity;

/** The {@link Dht} facade on real loopback sockets: lifecycle, threads and manifest filtering. */
class DhtTest {
    private static final DhtConfig CONFIG = LoopbackDhtNetwork.fastConfig();

    private static DhtOptions options(int index) {
        return DhtOptions.bindTo(new InetSocketAddress(LoopbackDhtNetwork.address(index), 0)).withConfig(CONFIG);
    }

    /** A socket that receives and never answers: every query to it times out. */
    private static DatagramSocket blackHole() throws Exception {
        return new DatagramSocket(new InetSocketAddress(LoopbackDhtNetwork.address(200), 0));
    }

    @Test
    void startsOnAnEphemeralPortWithTheNodeIdItWasGiven() throws Exception {
        NodeId id = NodeId.random(new SplittableRandom(1));
        try (Dht dht = Dht.start(options(0).withNodeId(id))) {
            assertThat(dht.nodeId()).isEqualTo(id);
            assertThat(dht.localAddress().getPort()).isPositive();
            assertThat(dht.localAddress().getAddress()).isEqualTo(LoopbackDhtNetwork.address(0));
            assertThat(await(dht.status(), "status").nodeId()).isEqualTo(id);
            assertThat(await(dht.routingTableSize(), "size")).isZero();
        }
    }

    @Test
    void nodesStartedWithoutAnIdGetDistinctRandomIds() throws Exception {
        try (Dht a = Dht.start(options(0)); Dht b = Dht.start(options(1))) {
            assertThat(a.nodeId()).isNotEqualTo(b.nodeId());
        }
    }

    @Test
    void futuresCompleteOnTheCallbackThreadNotOnTheEventLoop() throws Exception {
        try (Dht dht = Dht.start(options(0)); DatagramSocket silent = blackHole()) {
            AtomicReference<String> thread = new AtomicReference<>();
            CompletableFuture<Integer> joined = dht.join(List.of((InetSocketAddress) silent.getLocalSocketAddress()));
            CompletableFuture<Integer> seen = joined.whenComplete((v, e) -> thread.set(Thread.currentThread().getName()));
            assertThat(await(seen, "join through a silent node")).isZero();
            assertThat(thread.get()).isEqualTo("kadshare-dht-callbacks");
        }
    }

    @Test
    void closeFailsPendingFuturesAndLaterCallsAndIsIdempotent() throws Exception {
        InetSocketAddress bound;
        try (DatagramSocket silent = blackHole()) {
            Dht dht = Dht.start(options(0));
            bound = dht.localAddress();
            CompletableFuture<Integer> joining = dht.join(List.of((InetSocketAddress) silent.getLocalSocketAddress()));
            dht.close();
            assertThatThrownBy(() -> joining.get(LoopbackDhtNetwork.AWAIT_MILLIS, TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
            dht.close();
            assertThat(dht.findHolders(NodeId.random(new SplittableRandom(2)))).isCompletedExceptionally();
        }
        try (Dht again = Dht.start(DhtOptions.bindTo(bound).withConfig(CONFIG))) {
            assertThat(again.localAddress()).isEqualTo(bound);
        }
    }

    @Test
    void findManifestsLeavesOutManifestsOfAnotherContentUnderTheSameDhtKey() throws Exception {
        byte[] idBytes = new byte[ContentId.LENGTH_BYTES];
        new SplittableRandom(3).nextBytes(idBytes);
        ContentId wanted = ContentId.of(idBytes);
        idBytes[ContentId.LENGTH_BYTES - 1] ^= 1;
        ContentId sameKey = ContentId.of(idBytes);
        assertThat(sameKey.dhtKey()).isEqualTo(wanted.dhtKey());
        NodeIdentity publisher = NodeIdentity.generate();
        Manifest right = Manifest.sign(wanted, 10, "right.txt", "text/plain", 1_700_000_000L, publisher);
        Manifest other = Manifest.sign(sameKey, 10, "other.txt", "text/plain", 1_700_000_000L,
                NodeIdentity.generate());
        try (LoopbackDhtNetwork net = LoopbackDhtNetwork.joined(4, CONFIG)) {
            assertThat(await(net.node(1).putManifest(right), "put right")).isPositive();
            assertThat(await(net.node(2).putManifest(other), "put other")).isPositive();
            assertThat(await(net.node(3).findManifests(wanted), "find")).containsExactly(right);
            assertThat(await(net.node(3).findManifests(sameKey), "find")).containsExactly(other);
        }
    }

    @Test
    void streamedHoldersAndManifestsReachTheConsumerOnTheCallbackThreadBeforeTheFutureCompletes()
            throws Exception {
        byte[] idBytes = new byte[ContentId.LENGTH_BYTES];
        new SplittableRandom(4).nextBytes(idBytes);
        ContentId wanted = ContentId.of(idBytes);
        idBytes[ContentId.LENGTH_BYTES - 1] ^= 1;
        ContentId sameKey = ContentId.of(idBytes);
        Manifest right = Manifest.sign(wanted, 10, "right.txt", "text/plain", 1_700_000_000L, NodeIdentity.generate());
        Manifest other = Manifest.sign(sameKey, 10, "other.txt", "text/plain", 1_700_000_000L,
                NodeIdentity.generate());
        try (LoopbackDhtNetwork net = LoopbackDhtNetwork.joined(4, CONFIG)) {
            await(net.node(1).announce(wanted, 7001), "announce");
            await(net.node(2).announce(wanted, 7002), "announce");
            await(net.node(1).putManifest(right), "put right");
            await(net.node(2).putManifest(other), "put other");
            Set<String> threads = ConcurrentHashMap.newKeySet();
            List<InetSocketAddress> holders = new CopyOnWriteArrayList<>();
            List<Manifest> manifests = new CopyOnWriteArrayList<>();
            AtomicReference<List<Object>> seenAtEnd = new AtomicReference<>();
            CompletableFuture<List<InetSocketAddress>> foundHolders = net.node(3).findHolders(wanted, a -> {
                threads.add(Thread.currentThread().getName());
                holders.add(a);
            });
            List<InetSocketAddress> allHolders = await(foundHolders.whenComplete(
                    (v, e) -> seenAtEnd.set(List.copyOf(holders))), "holders");
            assertThat(allHolders).hasSize(2);
            assertThat(seenAtEnd.get()).as("every holder was handed over before completion")
                    .containsExactlyElementsOf(allHolders);
            CompletableFuture<List<Manifest>> foundManifests = net.node(3).findManifests(wanted, m -> {
                threads.add(Thread.currentThread().getName());
                manifests.add(m);
            });
            List<Manifest> allManifests = await(foundManifests.whenComplete(
                    (v, e) -> seenAtEnd.set(List.copyOf(manifests))), "manifests");
            assertThat(allManifests).as("only verified manifests of this content").containsExactly(right);
            assertThat(seenAtEnd.get()).containsExactly(right);
            assertThat(threads).containsExactly("kadshare-dht-callbacks");
        }
    }

    @Test
    void optionsRejectAnUnresolvedBindAddress() {
        assertThatThrownBy(() -> DhtOptions.bindTo(InetSocketAddress.createUnresolved("example.invalid", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolved");
    }
}
