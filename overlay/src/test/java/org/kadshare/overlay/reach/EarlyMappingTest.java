package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.ConnectBackResult;

/**
 * A node whose peers have not yet agreed how they see it: with a private address it asks its
 * gateway (a NAT-PMP router on a real UDP socket here) for mappings at once; without one it
 * waits for the vote. Regression: a busy test network's vote never decided, so a holder behind
 * NAT mapped nothing and could not be reached.
 */
class EarlyMappingTest {
    private static final int PORT = 45_123;
    private FakeRouter router;

    /**
     * Answers every NAT-PMP request with success: external address 203.0.113.7, the port asked
     * for (a PCP request, read as NAT-PMP, gets a NAT-PMP answer: the client falls back to NAT-PMP).
     */
    private static final class FakeRouter implements AutoCloseable {
        final DatagramSocket socket;
        final AtomicInteger requests = new AtomicInteger();
        final Thread thread;

        FakeRouter(InetAddress at) throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(at, 0));
            socket.setSoTimeout(200);
            thread = new Thread(this::serve, "fake-nat-pmp");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            byte[] buffer = new byte[64];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    socket.receive(p);
                    requests.incrementAndGet();
                    ByteBuffer in = ByteBuffer.wrap(p.getData(), 0, p.getLength());
                    in.get();
                    int opcode = in.get();
                    ByteBuffer out;
                    if (opcode == 0) {
                        out = ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) 0).putInt(1)
                                .put(new byte[] {(byte) 203, 0, 113, 7});
                    } else {
                        in.getShort();
                        short internal = in.getShort();
                        short suggested = in.getShort();
                        int lifetime = in.getInt();
                        out = ByteBuffer.allocate(16).put((byte) 0).put((byte) (128 + opcode)).putShort((short) 0)
                                .putInt(1).putShort(internal).putShort(suggested == 0 ? internal : suggested)
                                .putInt(lifetime);
                    }
                    socket.send(new DatagramPacket(out.array(), out.capacity(), p.getSocketAddress()));
                } catch (SocketTimeoutException e) {
                    // look at isClosed again
                } catch (Exception e) {
                    return;
                }
            }
        }

        /** Closes the socket and waits for the serving thread: only then is the port free for the next test. */
        @Override
        public void close() throws InterruptedException {
            socket.close();
            thread.join(5_000);
        }
    }

    @BeforeEach
    void startRouter() throws Exception {
        router = new FakeRouter(InetAddress.getByName("127.23.9.1"));
    }

    @AfterEach
    void stopRouter() throws InterruptedException {
        router.close();
    }

    private GatewayPorts ports() throws Exception {
        return new GatewayPorts(router.socket.getLocalPort(), LoopbackPorts.closedUdpPort());
    }

    private ReachabilityMonitor monitor(boolean privateAddress) throws Exception {
        ReachOptions options = new ReachOptions(Optional.of(InetAddress.getByName("127.23.9.1")), 60,
                ReachOptions.ALL_METHODS);
        return ReachabilityMonitor.start(options, PORT, PORT, () -> CompletableFuture.completedFuture(Optional.empty()),
                (port, udp) -> CompletableFuture.completedFuture(new ConnectBackResult(0, 0, 0)), () -> { }, () -> { },
                () -> privateAddress, ports());
    }

    @Test
    void aHostWithAPrivateAddressIsMappedBeforeThePeersAgreeHowTheySeeIt() throws Exception {
        try (ReachabilityMonitor m = monitor(true)) {
            Reachability r = m.status(Optional.empty());
            for (int i = 0; i < 100 && r.how() != Reachability.How.MAPPED; i++) {
                Thread.sleep(100);
                r = m.status(Optional.empty());
            }
            assertThat(r.how()).as(r.detail()).isEqualTo(Reachability.How.MAPPED);
            assertThat(r.detail()).contains("203.0.113.7:" + PORT + " (TCP)");
        }
    }

    @Test
    void aConnectBackCheckThatFoundNoPeerToAskIsRepeatedSoonNotOnlyInTenMinutes() throws Exception {
        ReachOptions options = new ReachOptions(Optional.of(InetAddress.getByName("127.23.9.1")), 60,
                ReachOptions.ALL_METHODS);
        AtomicInteger checks = new AtomicInteger();
        // At an early mapping the node may know no peer yet: the first checks ask nobody.
        try (ReachabilityMonitor m = ReachabilityMonitor.start(options, PORT, PORT,
                () -> CompletableFuture.completedFuture(Optional.empty()),
                (port, udp) -> CompletableFuture.completedFuture(checks.getAndIncrement() < 2
                        ? new ConnectBackResult(0, 0, 0) : new ConnectBackResult(2, 2, 2, 2, 0)),
                () -> { }, () -> { }, () -> true, ports())) {
            Reachability r = m.status(Optional.empty());
            for (int i = 0; i < 300 && !r.detail().contains("checked"); i++) {
                Thread.sleep(100);
                r = m.status(Optional.empty());
            }
            assertThat(r.how()).isEqualTo(Reachability.How.MAPPED);
            assertThat(r.detail()).contains("checked: 2 of 2 peers asked could connect to port " + PORT
                    + "; udp not reachable: 0 of 2 peers' pings from another port got in at port " + PORT);
            assertThat(checks.get()).as("checks: two unanswered and the one after them").isEqualTo(3);
        }
    }

    @Test
    void aHostWithoutAPrivateAddressAsksTheRouterNothingWhileTheVoteIsUndecided() throws Exception {
        try (ReachabilityMonitor m = monitor(false)) {
            Thread.sleep(ReachabilityMonitor.CHECK_MILLIS * 2 + 500);
            assertThat(router.requests.get()).as("requests the router got").isZero();
            assertThat(m.status(Optional.empty()).how()).isEqualTo(Reachability.How.UNKNOWN);
        }
    }
}
