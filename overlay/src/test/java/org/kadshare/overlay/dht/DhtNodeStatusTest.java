package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.krpc.AnnouncePeerQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcError;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.overlay.krpc.TransactionId;

/** The status snapshot and contact list of a {@link DhtNode}, and who may enter its table. */
class DhtNodeStatusTest {

    private static NodeId key(long seed) {
        return NodeId.random(new SplittableRandom(seed));
    }

    @Test
    void statusCountsContactsRecordsAndCounters() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(10, 21);
        DhtNode publisher = net.nodes.get(2);
        int accepted = net.await(publisher.announce(key(1), 6100));
        int holding = 0;
        for (DhtNode n : net.nodes) {
            DhtStatus s = n.status();
            assertThat(s.nodeId()).isEqualTo(n.id());
            assertThat(s.routingContacts()).isEqualTo(n.routingTableSize());
            assertThat(s.liveContacts()).isBetween(0, s.routingContacts());
            assertThat(s.counters()).isEqualTo(n.counters());
            holding += s.holderRecords();
        }
        assertThat(holding).isEqualTo(accepted);
        assertThat(publisher.status().pendingQueries()).isZero();
    }

    @Test
    void contactsListEveryRoutingContactAndMarksThoseThatAnsweredAsLive() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(10, 22);
        DhtNode node = net.nodes.get(5);
        List<DhtContact> contacts = node.contacts();
        assertThat(contacts).hasSize(node.routingTableSize());
        assertThat(contacts).extracting(DhtContact::id).doesNotHaveDuplicates().doesNotContain(node.id());
        assertThat(contacts).anyMatch(DhtContact::live);
        assertThat(node.status().liveContacts()).isEqualTo((int) contacts.stream().filter(DhtContact::live).count());
    }

    @Test
    void aContactThatAnsweredCarriesTheRoundTripOfItsLatestAnswer() {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(10, 24);
        DhtNode node = net.nodes.get(5);
        InetSocketAddress self = net.addressOf(5);
        List<DhtContact> answered = node.contacts().stream().filter(c -> c.rttMillis() >= 0).toList();
        assertThat(answered).isNotEmpty();
        for (DhtContact c : answered) {
            assertThat(c.rttMillis()).as("round trip to %s", c.address()).isEqualTo(
                    DhtNodeTest.Network.latencyMillis(self, c.address())
                            + DhtNodeTest.Network.latencyMillis(c.address(), self));
        }
    }

    @Test
    void querierAnsweredWithAnErrorDoesNotEnterTheRoutingTable() throws Exception {
        DhtNodeTest.Network net = DhtNodeTest.Network.joined(4, 23);
        DhtNode node = net.nodes.get(1);
        InetSocketAddress forger = new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 9}), 9000);
        List<KrpcMessage> replies = net.probe(forger);
        NodeId forgerId = key(77);
        node.receive(forger, KrpcCodec.encode(new AnnouncePeerQuery(TransactionId.of(new byte[] {1}), forgerId,
                key(78), 6000, false, Token.of(new byte[8]), Optional.empty())));
        net.time.runFor(1000);
        assertThat(replies).singleElement().isInstanceOf(KrpcError.class);
        assertThat(node.contacts()).extracting(DhtContact::id).doesNotContain(forgerId);

        node.receive(forger, KrpcCodec.encode(new PingQuery(TransactionId.of(new byte[] {2}), forgerId,
                Optional.empty())));
        net.time.runFor(1000);
        assertThat(replies).last().isInstanceOf(KrpcResponse.class);
        assertThat(node.contacts()).extracting(DhtContact::id).contains(forgerId);
    }
}
