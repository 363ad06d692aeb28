package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.ConnectBackResult;

/**
 * The monitor asks the router's UPnP-IGD only when the router gives neither a PCP nor a NAT-PMP
 * answer: a fake IGD on loopback (real SSDP and HTTP), with or without a NAT-PMP service beside it.
 */
class UpnpFallbackTest {
    private static final String GATEWAY = "127.23.10.1";
    private static final int PORT = 45_124;
    private static final Optional<InetSocketAddress> SEEN = Optional.of(new InetSocketAddress("203.0.113.9", PORT));
    private FakeIgd igd;

    @BeforeEach
    void startIgd() throws Exception {
        igd = new FakeIgd(InetAddress.getByName(GATEWAY));
    }

    @AfterEach
    void stopIgd() throws InterruptedException {
        igd.close();
    }

    /** A monitor asking the gateway by {@code methods}, PCP and NAT-PMP at {@code natPmpPort}. */
    private ReachabilityMonitor monitor(List<MappingMethod> methods, int natPmpPort) throws Exception {
        ReachOptions options = new ReachOptions(Optional.of(InetAddress.getByName(GATEWAY)), 60, methods);
        return ReachabilityMonitor.start(options, PORT, PORT, () -> CompletableFuture.completedFuture(SEEN),
                (port, udp) -> CompletableFuture.completedFuture(new ConnectBackResult(0, 0, 0)), () -> { }, () -> { },
                () -> true, new GatewayPorts(natPmpPort, igd.ssdpPort()));
    }

    private static Reachability await(ReachabilityMonitor m, Predicate<Reachability> done) throws Exception {
        return StatusPolling.until(m, SEEN, done);
    }

    @Test
    void aRouterThatAnswersNeitherPcpNorNatPmpIsMappedThroughItsUpnpIgdAndTheStatusSaysHow() throws Exception {
        try (ReachabilityMonitor m = monitor(ReachOptions.ALL_METHODS, LoopbackPorts.closedUdpPort())) {
            Reachability r = await(m, s -> s.how() == Reachability.How.MAPPED);
            assertThat(r.how()).as(r.detail()).isEqualTo(Reachability.How.MAPPED);
            assertThat(r.detail()).startsWith("UPnP-IGD on " + GATEWAY + " maps " + FakeIgd.EXTERNAL_ADDRESS + ":"
                    + PORT + " (TCP)");
            assertThat(igd.mappings).containsKeys("TCP " + PORT, "UDP " + PORT);
        }
        assertThat(igd.mappings).as("deleted on stop").isEmpty();
    }

    @Test
    void withNatPmpAloneARouterThatDoesNotAnswerItIsAskedNothingMoreAndTheStatusSaysWhy() throws Exception {
        try (ReachabilityMonitor m = monitor(List.of(MappingMethod.NAT_PMP), LoopbackPorts.closedUdpPort())) {
            Reachability r = await(m, s -> s.detail().contains("port mapping failed"));
            assertThat(r.how()).isEqualTo(Reachability.How.UNREACHABLE);
            assertThat(r.detail()).contains("no NAT-PMP service on the gateway " + GATEWAY).doesNotContain("PCP");
            assertThat(igd.calls).isEmpty();
        }
    }

    @Test
    void aRouterThatAnswersNatPmpEvenToRefuseIsNotAskedByUpnp() throws Exception {
        try (DatagramSocket natPmp = new DatagramSocket(new InetSocketAddress(GATEWAY, 0))) {
            Thread refuser = new Thread(() -> refuseEverything(natPmp), "refusing-nat-pmp");
            refuser.setDaemon(true);
            refuser.start();
            try (ReachabilityMonitor m = monitor(ReachOptions.ALL_METHODS, natPmp.getLocalPort())) {
                Reachability r = await(m, s -> s.detail().contains("port mapping failed"));
                assertThat(r.how()).isEqualTo(Reachability.How.UNREACHABLE);
                assertThat(r.detail()).contains("PCP: UDP " + PORT + ": the router does not speak PCP (it answered as"
                        + " version 0: NAT-PMP); ").contains("; NAT-PMP: UDP " + PORT + ": the router refused")
                        .doesNotContain("UPnP");
                assertThat(igd.calls).isEmpty();
            } finally {
                natPmp.close();
                refuser.join(5_000);
            }
        }
    }

    /** Answers every NAT-PMP request with result 2, "not authorized". */
    private static void refuseEverything(DatagramSocket socket) {
        byte[] buffer = new byte[64];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                socket.receive(p);
                int opcode = buffer[1];
                byte[] out = ByteBuffer.allocate(opcode == 0 ? 12 : 16).put((byte) 0).put((byte) (128 + opcode))
                        .putShort((short) 2).array();
                socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
            } catch (Exception e) {
                return;
            }
        }
    }
}
