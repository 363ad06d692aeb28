package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kadshare.overlay.dht.ConnectBackResult;

/**
 * PCP port mapping against a fake PCP server on real loopback sockets ({@link FakePcpServer}):
 * the mapper over a {@link PcpRouter}, and the monitor choosing PCP, falling back to NAT-PMP, or
 * not.
 */
class PcpPortMappingTest {
    private static final String GATEWAY = "127.23.11.1";
    private static final String NOT_THE_GATEWAY = "127.23.11.2";
    private static final int TCP = 4870;
    private static final int UDP = 4871;
    private static final Optional<InetSocketAddress> SEEN = Optional.of(new InetSocketAddress("203.0.113.9", TCP));
    private FakePcpServer server;
    private final AtomicLong now = new AtomicLong(1_000);
    private int nonceSeed;
    private PcpRouter router;
    private PortMapper mapper;

    @BeforeEach
    void start() throws Exception {
        server = new FakePcpServer(InetAddress.getByName(GATEWAY), InetAddress.getByName(NOT_THE_GATEWAY));
        router = new PcpRouter(new UdpNatPmpTransport(InetAddress.getByName(GATEWAY), server.port(), "PCP"),
                bytes -> java.util.Arrays.fill(bytes, (byte) ++nonceSeed));
        mapper = new PortMapper(router, now::get, TCP, UDP, 7200);
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void aGrantedMappingIsAnnouncedAtTheAssignedAddressAndPortAndRenewedAtHalfItsLifetime() {
        long next = mapper.refresh();
        assertThat(mapper.problem()).isEmpty();
        assertThat(next).isEqualTo(30_000);
        assertThat(mapper.mapping(MappingProtocol.TCP)).contains(new ActiveMapping(MappingProtocol.TCP, TCP, TCP,
                61_000));
        assertThat(mapper.mapping(MappingProtocol.UDP).orElseThrow().externalPort()).isEqualTo(UDP);
        assertThat(mapper.externalAddress().orElseThrow().getHostAddress()).isEqualTo(FakePcpServer.EXTERNAL_ADDRESS);
        assertThat(router.answered()).isTrue();
        assertThat(server.requests).hasSize(2).allMatch(r -> r.contains("lifetime 7200"));
    }

    @Test
    void aServerThatAssignsAnotherPortIsFollowedAndAskedForThatPortOnRenewal() {
        server.mode = FakePcpServer.Mode.GRANT_ANOTHER_PORT;
        mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP).orElseThrow().externalPort()).isEqualTo(TCP + 100);
        now.addAndGet(30_000);
        mapper.refresh();
        assertThat(tcpRequests().get(1)).startsWith("TCP " + TCP + " suggested " + (TCP + 100) + " ");
        assertThat(mapper.mapping(MappingProtocol.TCP).orElseThrow().externalPort()).isEqualTo(TCP + 100);
        assertThat(mapper.renewals()).isEqualTo(2);
    }

    @Test
    void eachMappingKeepsItsNonceForItsRenewalsAndItsDeletion() {
        mapper.refresh();
        now.addAndGet(30_000);
        mapper.refresh();
        mapper.release();
        List<String> tcp = tcpRequests();
        List<String> udp = server.requests.stream().filter(r -> r.startsWith("UDP")).toList();
        assertThat(tcp).hasSize(3);
        assertThat(tcp).extracting(PcpPortMappingTest::nonce).containsOnly(nonce(tcp.get(0)));
        assertThat(udp).extracting(PcpPortMappingTest::nonce).containsOnly(nonce(udp.get(0)));
        assertThat(nonce(tcp.get(0))).isNotEqualTo(nonce(udp.get(0)));
        assertThat(tcp.get(2)).contains("lifetime 0");
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {PcpCodec.NOT_AUTHORIZED, 8, 10, 7})
    void aRefusalLeavesNoMappingAndSaysWhichResultCameBack(int code) {
        server.mode = FakePcpServer.Mode.REFUSE;
        server.resultCode = code;
        long next = mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
        assertThat(next).isEqualTo(PortMapper.RETRY_MILLIS);
        assertThat(mapper.problem()).contains("the router refused: " + PcpCodec.result(code));
        assertThat(router.answered()).as("a refusal is an answer: the router speaks PCP").isTrue();
    }

    @Test
    void cannotProvideExternalIsAskedOnceMoreWithoutASuggestionAndThePortAssignedIsTheOneAnnounced() {
        server.mode = FakePcpServer.Mode.TAKEN_UNLESS_ANY_PORT;
        mapper.refresh();
        assertThat(mapper.problem()).isEmpty();
        assertThat(mapper.mapping(MappingProtocol.TCP).orElseThrow().externalPort()).isEqualTo(TCP + 1000);
        assertThat(tcpRequests().get(0)).startsWith("TCP " + TCP + " suggested " + TCP + " ");
        assertThat(tcpRequests().get(1)).startsWith("TCP " + TCP + " suggested 0 ");
    }

    @Test
    void aServerThatSpeaksOnlyNatPmpIsNotTakenForAPcpServer() {
        server.mode = FakePcpServer.Mode.NAT_PMP_ONLY;
        mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
        assertThat(router.answered()).isFalse();
        assertThat(mapper.problem()).contains("the router does not speak PCP (it answered as version 0: NAT-PMP)");
    }

    @ParameterizedTest
    @EnumSource(value = FakePcpServer.Mode.class, names = {"SHORT", "OVERSIZED", "GARBAGE", "FROM_ANOTHER_ADDRESS"})
    void anAnswerThatIsShortOversizedMalformedOrFromAnotherAddressMapsNothing(FakePcpServer.Mode mode) {
        server.mode = mode;
        mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
        assertThat(mapper.mapping(MappingProtocol.UDP)).isEmpty();
        assertThat(router.answered()).isFalse();
        assertThat(mapper.problem()).contains(switch (mode) {
            case SHORT, GARBAGE -> "bytes, expected at least " + PcpCodec.MAP_BYTES;
            case OVERSIZED -> "no PCP answer from the gateway " + GATEWAY + " after 3 tries (3 datagrams from it"
                    + " were not answers and were dropped)";
            default -> "no PCP answer from the gateway " + GATEWAY + " after 3 tries";
        });
    }

    private ReachabilityMonitor monitor(List<MappingMethod> methods) throws Exception {
        return monitor(methods, 60);
    }

    private ReachabilityMonitor monitor(List<MappingMethod> methods, long lifetimeSeconds) throws Exception {
        ReachOptions options = new ReachOptions(Optional.of(InetAddress.getByName(GATEWAY)), lifetimeSeconds, methods);
        return ReachabilityMonitor.start(options, TCP, UDP,
                () -> java.util.concurrent.CompletableFuture.completedFuture(SEEN),
                (port, udp) -> java.util.concurrent.CompletableFuture.completedFuture(new ConnectBackResult(0, 0, 0)),
                () -> { }, () -> { }, () -> true, new GatewayPorts(server.port(), LoopbackPorts.closedUdpPort()));
    }

    private static Reachability await(ReachabilityMonitor m, Predicate<Reachability> done) throws Exception {
        return StatusPolling.until(m, SEEN, done);
    }

    @Test
    void byDefaultARouterThatSpeaksPcpIsMappedByPcpTheStatusSaysSoAndTheMappingsAreDeletedOnStop() throws Exception {
        try (ReachabilityMonitor m = monitor(ReachOptions.ALL_METHODS)) {
            Reachability r = await(m, s -> s.how() == Reachability.How.MAPPED);
            assertThat(r.how()).as(r.detail()).isEqualTo(Reachability.How.MAPPED);
            assertThat(r.detail()).startsWith("PCP on " + GATEWAY + " maps " + FakePcpServer.EXTERNAL_ADDRESS + ":"
                    + TCP + " (TCP) and " + FakePcpServer.EXTERNAL_ADDRESS + ":" + UDP + " (UDP)");
        }
        assertThat(server.requests).filteredOn(r -> r.contains("lifetime 0")).hasSize(2);
        assertThat(server.natPmpRequests).isEmpty();
    }

    @Test
    void byDefaultARouterThatAnswersPcpWithNatPmpsUnsupportedVersionIsMappedByNatPmp() throws Exception {
        server.mode = FakePcpServer.Mode.NAT_PMP_ONLY;
        try (ReachabilityMonitor m = monitor(ReachOptions.ALL_METHODS)) {
            Reachability r = await(m, s -> s.how() == Reachability.How.MAPPED);
            assertThat(r.how()).as(r.detail()).isEqualTo(Reachability.How.MAPPED);
            assertThat(r.detail()).startsWith("NAT-PMP on " + GATEWAY + " maps 203.0.113.6:" + TCP + " (TCP)");
        }
        assertThat(server.requests).as("PCP asked first").isNotEmpty();
    }

    @Test
    void theStatusStillSaysThatTheRouterDoesNotSpeakPcpWhenItsNatPmpRefusesALaterRenewal() throws Exception {
        server.mode = FakePcpServer.Mode.NAT_PMP_ONLY;
        try (ReachabilityMonitor m = monitor(ReachOptions.ALL_METHODS, 2)) {
            assertThat(await(m, s -> s.how() == Reachability.How.MAPPED).how()).isEqualTo(Reachability.How.MAPPED);
            server.natPmpResult = 2;
            Reachability r = await(m, s -> s.detail().contains("port mapping failed"));
            assertThat(r.detail()).as("renewals are by NAT-PMP alone: what PCP said then still holds")
                    .contains("port mapping failed: PCP: ").contains("the router does not speak PCP")
                    .contains("; NAT-PMP: ").contains("the router refused");
        }
    }

    @Test
    void aRouterThatRefusesByPcpIsNotAskedByNatPmpAndTheStatusSaysWhy() throws Exception {
        server.mode = FakePcpServer.Mode.REFUSE;
        try (ReachabilityMonitor m = monitor(ReachOptions.ALL_METHODS)) {
            Reachability r = await(m, s -> s.detail().contains("port mapping failed"));
            assertThat(r.how()).isEqualTo(Reachability.How.UNREACHABLE);
            assertThat(r.detail()).contains("port mapping failed: PCP: ")
                    .contains("TCP " + TCP + ": the router refused: NOT_AUTHORIZED").doesNotContain("NAT-PMP:");
        }
        assertThat(server.natPmpRequests).isEmpty();
    }

    @Test
    void withPcpAloneARouterThatSpeaksOnlyNatPmpIsNotAskedByNatPmp() throws Exception {
        server.mode = FakePcpServer.Mode.NAT_PMP_ONLY;
        try (ReachabilityMonitor m = monitor(List.of(MappingMethod.PCP))) {
            Reachability r = await(m, s -> s.detail().contains("port mapping failed"));
            assertThat(r.detail()).contains("port mapping failed: PCP: ")
                    .contains("TCP " + TCP + ": the router does not speak PCP").doesNotContain("NAT-PMP:");
        }
        assertThat(server.natPmpRequests).isEmpty();
    }

    private List<String> tcpRequests() {
        return server.requests.stream().filter(r -> r.startsWith("TCP")).toList();
    }

    private static String nonce(String request) {
        return request.replaceAll(".* nonce (\\p{XDigit}+) .*", "$1");
    }
}
