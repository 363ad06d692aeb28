package org.kadshare.overlay.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.krpc.ConnectBackQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.PingQuery;
import org.kadshare.overlay.krpc.TransactionId;
import org.kadshare.overlay.testing.LoopbackDhtNetwork;

/**
 * The UDP half of connect_back on real loopback sockets: a node asked to check pings the asker's
 * UDP port from another port than its DHT's, and says whether the ping was answered.
 */
class UdpConnectBackTest {
    private static final NodeId ASKER = NodeId.random(new SplittableRandom(3));

    private static DatagramSocket socket(int index) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(LoopbackDhtNetwork.address(index), 0));
        s.setSoTimeout(10_000);
        return s;
    }

    private static KrpcMessage receive(DatagramSocket s, DatagramPacket[] from) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
        s.receive(p);
        from[0] = p;
        return KrpcCodec.decode(Arrays.copyOf(p.getData(), p.getLength()));
    }

    /** Sends a connect_back from {@code asker} naming {@code dhtPort}'s port; returns the answer. */
    private static KrpcResponse askAndAwait(Dht checker, DatagramSocket asker, DatagramSocket dhtPort,
            boolean answerThePing) throws Exception {
        byte[] query = KrpcCodec.encode(new ConnectBackQuery(TransactionId.of(new byte[] {7}), ASKER, 1,
                OptionalInt.of(dhtPort.getLocalPort()), Optional.empty()));
        asker.send(new DatagramPacket(query, query.length, checker.localAddress()));
        DatagramPacket[] from = new DatagramPacket[1];
        KrpcMessage ping = receive(dhtPort, from);
        assertThat(ping).isInstanceOf(PingQuery.class);
        assertThat(from[0].getAddress()).isEqualTo(checker.localAddress().getAddress());
        assertThat(from[0].getPort()).as("pinged from another port than the checker's DHT")
                .isNotEqualTo(checker.localAddress().getPort());
        if (answerThePing) {
            byte[] pong = KrpcCodec.encode(new KrpcResponse(((PingQuery) ping).transactionId(), ASKER, List.of(),
                    List.of(), Optional.empty(), List.of(), 0, Optional.empty()));
            dhtPort.send(new DatagramPacket(pong, pong.length, from[0].getSocketAddress()));
        }
        while (true) {
            KrpcMessage m = receive(asker, from);
            if (m instanceof KrpcResponse r && r.reached().isPresent()) {
                return r;
            }
        }
    }

    @Test
    void aPingThatIsAnsweredFromTheAskersUdpPortCountsAsUdpReachable() throws Exception {
        try (Dht checker = Dht.start(DhtOptions.bindTo(new InetSocketAddress(LoopbackDhtNetwork.address(0), 0)));
             DatagramSocket asker = socket(1); DatagramSocket dhtPort = socket(1)) {
            KrpcResponse r = askAndAwait(checker, asker, dhtPort, true);
            assertThat(r.udpReached()).contains(true);
            assertThat(r.reached()).as("nothing listens on TCP port 1").contains(false);
        }
    }

    @Test
    void aPingThatIsNotAnsweredCountsAsUdpNotReachable() throws Exception {
        try (Dht checker = Dht.start(DhtOptions.bindTo(new InetSocketAddress(LoopbackDhtNetwork.address(0), 0)));
             DatagramSocket asker = socket(2); DatagramSocket dhtPort = socket(2)) {
            KrpcResponse r = askAndAwait(checker, asker, dhtPort, false);
            assertThat(r.udpReached()).contains(false);
        }
    }
}
