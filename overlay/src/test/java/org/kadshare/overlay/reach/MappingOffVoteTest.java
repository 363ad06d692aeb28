package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.ConnectBackResult;

/**
 * A node with port mapping off learns its external address from the answers to its own queries
 * only. Regression: one that joined through a peer that knew few others (the test network's nodes
 * all start at once) sent no query for minutes, so its status said "unknown" instead of
 * "unreachable", and a get from it tried a relayed holder through a reverse connection that could
 * not come, failing on the connect timeout instead of saying at once that neither side can
 * connect.
 */
class MappingOffVoteTest {
    private static final int PORT = 45_124;

    private static ReachabilityMonitor monitor(AtomicReference<Optional<InetSocketAddress>> seen,
            AtomicInteger solicited, AtomicInteger connectBacks) {
        return ReachabilityMonitor.start(ReachOptions.OFF, PORT, PORT,
                () -> CompletableFuture.completedFuture(seen.get()),
                (port, udp) -> {
                    connectBacks.incrementAndGet();
                    return CompletableFuture.completedFuture(new ConnectBackResult(0, 0, 0));
                },
                solicited::incrementAndGet, () -> { });
    }

    @Test
    void aNodeWithPortMappingOffAsksMorePeersForItsAddressWhileTheVoteIsUndecided() throws Exception {
        AtomicReference<Optional<InetSocketAddress>> seen = new AtomicReference<>(Optional.empty());
        AtomicInteger solicited = new AtomicInteger();
        AtomicInteger connectBacks = new AtomicInteger();
        try (ReachabilityMonitor m = monitor(seen, solicited, connectBacks)) {
            for (int i = 0; i < 100 && solicited.get() == 0; i++) {
                Thread.sleep(100);
            }
            assertThat(solicited.get()).as("lookups asked for while the vote is undecided").isPositive();
            assertThat(connectBacks.get()).as("peers asked to connect back").isZero();
        }
    }

    @Test
    void aNodeWithPortMappingOffThatKnowsItsAddressAsksNoMorePeersAndSaysItIsUnreachable() throws Exception {
        InetSocketAddress outside = new InetSocketAddress("203.0.113.9", PORT);
        AtomicReference<Optional<InetSocketAddress>> seen = new AtomicReference<>(Optional.of(outside));
        AtomicInteger solicited = new AtomicInteger();
        AtomicInteger connectBacks = new AtomicInteger();
        try (ReachabilityMonitor m = monitor(seen, solicited, connectBacks)) {
            Thread.sleep(ReachabilityMonitor.CHECK_MILLIS * 2 + 500);
            assertThat(solicited.get()).as("lookups asked for once the vote is decided").isZero();
            assertThat(connectBacks.get()).as("peers asked to connect back").isZero();
            Reachability r = m.status(seen.get());
            assertThat(r.how()).isEqualTo(Reachability.How.UNREACHABLE);
            assertThat(r.detail()).contains("port mapping is off");
        }
    }
}
