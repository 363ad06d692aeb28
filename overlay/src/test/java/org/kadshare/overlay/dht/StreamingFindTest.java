package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.NodeIdentity;

/** findHolders and findManifests hand over each result as it arrives, in virtual time. */
class StreamingFindTest {
    private static final InetAddress LOOPBACK = loopback();

    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static NodeId key(long seed) {
        return NodeId.random(new SplittableRandom(seed));
    }

    /** A node that stores a record for {@code key} (one of the key's closest), other than {@code except}. */
    private static DhtNode storing(DhtNodeTest.Network net, NodeId key, DhtNode except) {
        return net.nodes.stream().filter(n -> n != except && n.status().holderRecords() > 0)
                .min((a, b) -> key.compareDistance(a.id(), b.id())).orElseThrow();
    }

    @Test
    void findHoldersHandsOverEachHolderOnceAndBeforeTheLookupEnds() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(20, 21);
        NodeId key = key(210);
        for (int i = 0; i < 3; i++) {
            net.await(net.nodes.get(3 + i).announce(key, 6100 + i));
        }
        DhtNode asker = net.nodes.get(15);
        List<InetSocketAddress> streamed = new ArrayList<>();
        List<Long> arrivedAt = new ArrayList<>();
        long[] endedAt = {-1};
        CompletableFuture<List<InetSocketAddress>> found = asker.findHolders(key, a -> {
            streamed.add(a);
            arrivedAt.add(net.time.nowMillis());
        });
        found.whenComplete((v, e) -> endedAt[0] = net.time.nowMillis());
        List<InetSocketAddress> all = net.await(found);
        assertThat(all).containsExactlyInAnyOrder(new InetSocketAddress(LOOPBACK, 6100),
                new InetSocketAddress(LOOPBACK, 6101), new InetSocketAddress(LOOPBACK, 6102));
        assertThat(streamed).as("each holder once, in the order of the final list").containsExactlyElementsOf(all);
        assertThat(arrivedAt.get(0)).as("first holder came before the lookup ended").isLessThan(endedAt[0]);
    }

    @Test
    void aSecondFindOfAKeyHandsOverWhatTheFirstFoundAtOnceAndStillAsksTheNetwork() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(20, 23);
        NodeId key = key(230);
        net.await(net.nodes.get(4).announce(key, 6300));
        DhtNode asker = net.nodes.stream().filter(n -> n.status().holderRecords() == 0).findFirst().orElseThrow();
        assertThat(net.await(asker.findHolders(key))).containsExactly(new InetSocketAddress(LOOPBACK, 6300));
        net.await(net.nodes.get(5).announce(key, 6301));
        List<InetSocketAddress> streamed = new ArrayList<>();
        CompletableFuture<List<InetSocketAddress>> again = asker.findHolders(key, streamed::add);
        assertThat(streamed).as("before any answer came back").containsExactly(new InetSocketAddress(LOOPBACK, 6300));
        assertThat(again).isNotDone();
        assertThat(net.await(again)).as("the new holder comes from the network")
                .containsExactlyInAnyOrder(new InetSocketAddress(LOOPBACK, 6300), new InetSocketAddress(LOOPBACK, 6301));
    }

    @Test
    void aFindLongAfterTheLastHandsOverNothingBeforeTheNetworkAnswers() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(20, 24);
        NodeId key = key(240);
        net.await(net.nodes.get(4).announce(key, 6400));
        DhtNode asker = net.nodes.stream().filter(n -> n.status().holderRecords() == 0).findFirst().orElseThrow();
        net.await(asker.findHolders(key));
        net.time.runFor(RecentHolders.FRESH_MILLIS + 1);
        List<InetSocketAddress> streamed = new ArrayList<>();
        CompletableFuture<List<InetSocketAddress>> later = asker.findHolders(key, streamed::add);
        assertThat(streamed).isEmpty();
        assertThat(net.await(later)).containsExactly(new InetSocketAddress(LOOPBACK, 6400));
    }

    @Test
    void findHoldersHandsOverTheNodesOwnRecordsAtOnce() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(20, 22);
        NodeId key = key(220);
        DhtNode announcer = net.nodes.get(6);
        net.await(announcer.announce(key, 6200));
        DhtNode keeper = storing(net, key, announcer);
        List<InetSocketAddress> streamed = new ArrayList<>();
        CompletableFuture<List<InetSocketAddress>> found = keeper.findHolders(key, streamed::add);
        assertThat(streamed).as("before any answer came back").containsExactly(new InetSocketAddress(LOOPBACK, 6200));
        assertThat(found).isNotDone();
        assertThat(net.await(found)).as("the same holder from other answers is not repeated")
                .containsExactly(new InetSocketAddress(LOOPBACK, 6200));
        assertThat(streamed).hasSize(1);
    }

    @Test
    void findManifestsHandsOverEachManifestOnceAndBeforeTheLookupEnds() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(20, 23);
        byte[] content = new byte[32];
        new SplittableRandom(23).nextBytes(content);
        ContentId id = ContentId.of(content);
        List<byte[]> published = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            byte[] encoded = ManifestCodec.encode(Manifest.sign(id, 99, "f" + i + ".txt", "text/plain",
                    1_700_000_000L, NodeIdentity.generate()));
            published.add(encoded);
            net.await(net.nodes.get(2 + i).putManifest(encoded));
        }
        List<byte[]> streamed = new ArrayList<>();
        List<Long> arrivedAt = new ArrayList<>();
        long[] endedAt = {-1};
        CompletableFuture<List<byte[]>> found = net.nodes.get(17).findManifests(NodeId.of(id.dhtKey()), m -> {
            streamed.add(m);
            arrivedAt.add(net.time.nowMillis());
        });
        found.whenComplete((v, e) -> endedAt[0] = net.time.nowMillis());
        List<byte[]> all = net.await(found);
        assertThat(all).hasSize(2).anySatisfy(m -> assertThat(m).isEqualTo(published.get(0)))
                .anySatisfy(m -> assertThat(m).isEqualTo(published.get(1)));
        assertThat(streamed).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(streamed.get(i)).isEqualTo(all.get(i));
        }
        assertThat(arrivedAt.get(0)).isLessThan(endedAt[0]);
    }

    @Test
    void aConsumerThatThrowsFailsTheFindAndHearsNothingMore() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(20, 24);
        NodeId key = key(240);
        net.await(net.nodes.get(3).announce(key, 6300));
        net.await(net.nodes.get(4).announce(key, 6301));
        int[] calls = {0};
        CompletableFuture<List<InetSocketAddress>> found = net.nodes.get(12).findHolders(key, a -> {
            calls[0]++;
            throw new IllegalStateException("consumer broke");
        });
        net.time.runFor(60_000);
        assertThatThrownBy(found::join).isInstanceOf(CompletionException.class)
                .hasRootCauseMessage("consumer broke");
        assertThat(calls[0]).isEqualTo(1);
        assertThat(net.await(net.nodes.get(12).findHolders(key))).as("the node still works").hasSize(2);
    }
}
