package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The UPnP-IGD mapping decisions against a fake router on loopback, over real sockets: found by
 * an SSDP search, its description fetched and its SOAP control URL called over HTTP.
 */
class UpnpPortMappingTest {
    private static final String GATEWAY = "127.23.10.1";
    private FakeIgd igd;
    private final AtomicLong now = new AtomicLong(1_000);

    @BeforeEach
    void startIgd() throws Exception {
        igd = new FakeIgd(InetAddress.getByName(GATEWAY));
    }

    @AfterEach
    void stopIgd() throws InterruptedException {
        igd.close();
    }

    private PortMapper mapper(long lifetimeSeconds) throws Exception {
        return new PortMapper(IgdDiscovery.find(InetAddress.getByName(GATEWAY), igd.ssdpPort()), now::get, 4870, 4871, lifetimeSeconds);
    }

    @Test
    void theGatewaysIgdIsFoundBySsdpAndMapsBothPortsToThisHostRenewedAtHalfTheLease() throws Exception {
        PortMapper mapper = mapper(60);
        assertThat(mapper.refresh()).isEqualTo(30_000);
        assertThat(mapper.method()).isEqualTo("UPnP-IGD");
        assertThat(mapper.gateway()).isEqualTo(GATEWAY);
        assertThat(mapper.problem()).isEmpty();
        assertThat(mapper.externalAddress().orElseThrow().getHostAddress()).isEqualTo(FakeIgd.EXTERNAL_ADDRESS);
        assertThat(mapper.mapping(MappingProtocol.TCP)).contains(new ActiveMapping(MappingProtocol.TCP, 4870, 4870,
                61_000));
        String self = SsdpSearch.localAddressTowards(InetAddress.getByName(GATEWAY)).getHostAddress();
        assertThat(igd.mappings).containsEntry("TCP 4870", self + ":4870 lease 60")
                .containsEntry("UDP 4871", self + ":4871 lease 60");
        now.addAndGet(30_000);
        mapper.refresh();
        assertThat(mapper.renewals()).isEqualTo(2);
        assertThat(mapper.mapping(MappingProtocol.TCP).orElseThrow().expiresAtMillis()).isEqualTo(91_000);
    }

    @Test
    void aRouterThatTakesOnlyPermanentLeasesGetsLeaseZeroIsStillRenewedAndTheMappingsAreDeletedOnStop()
            throws Exception {
        igd.permanentOnly = true;
        PortMapper mapper = mapper(60);
        assertThat(mapper.refresh()).as("added again at half the lifetime asked").isEqualTo(30_000);
        assertThat(mapper.problem()).isEmpty();
        assertThat(mapper.mapping(MappingProtocol.TCP)).isPresent();
        assertThat(igd.mappings.get("TCP 4870")).endsWith("lease 0");
        assertThat(igd.calls).filteredOn(c -> c.startsWith("AddPortMapping")).extracting(c -> c.replaceAll(".* ", ""))
                .containsExactly("LeaseDuration=60", "LeaseDuration=0", "LeaseDuration=0");
        mapper.release();
        assertThat(igd.mappings).isEmpty();
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
    }

    @Test
    void anExternalPortMappedToAnotherHostIsSkippedAndTheNextFreeOneIsAnnouncedAndKeptOnRenewal() throws Exception {
        igd.takenByAnotherHost.add("TCP 4870");
        igd.takenByAnotherHost.add("TCP 4871");
        PortMapper mapper = mapper(60);
        mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP).orElseThrow().externalPort()).isEqualTo(4872);
        assertThat(mapper.mapping(MappingProtocol.UDP).orElseThrow().externalPort()).isEqualTo(4871);
        igd.calls.clear();
        now.addAndGet(30_000);
        mapper.refresh();
        assertThat(igd.calls).filteredOn(c -> c.contains("Protocol=TCP"))
                .singleElement().asString().contains("ExternalPort=4872 ");
        assertThat(mapper.mapping(MappingProtocol.TCP).orElseThrow().externalPort()).isEqualTo(4872);
    }

    @Test
    void aRouterWhoseEveryNearbyPortIsTakenMapsNothingAndSaysSoAfterABoundedNumberOfTries() throws Exception {
        for (int p = 4870; p < 4870 + 50; p++) {
            igd.takenByAnotherHost.add("TCP " + p);
        }
        PortMapper mapper = mapper(60);
        mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
        assertThat(mapper.mapping(MappingProtocol.UDP)).as("the other port is free").isPresent();
        assertThat(mapper.problem()).contains("TCP 4870: " + UpnpRouter.CONFLICT_TRIES + " external ports from 4870");
        assertThat(igd.calls).filteredOn(c -> c.contains("Protocol=TCP")).hasSize(UpnpRouter.CONFLICT_TRIES);
    }

    @Test
    void aRouterThatDoesNotAuthoriseThisHostLeavesNoMappingSaysWhyAndIsAskedAgainLater() throws Exception {
        igd.refuse = true;
        PortMapper mapper = mapper(60);
        assertThat(mapper.refresh()).isEqualTo(PortMapper.RETRY_MILLIS);
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
        assertThat(mapper.problem()).contains("TCP 4870: AddPortMapping refused: 606 Action not authorized"
                + " (the router does not let this host map ports)");
        assertThat(mapper.refresh()).as("asked less often while it keeps refusing").isEqualTo(2 * PortMapper.RETRY_MILLIS);
    }

    @Test
    void aGatewayWithoutUpnpIgdIsFoundToHaveNone() {
        assertThatThrownBy(() -> IgdDiscovery.find(InetAddress.getByName("127.23.10.2"), LoopbackPorts.closedUdpPort()))
                .isInstanceOf(UpnpException.class).hasMessageContaining("no UPnP-IGD answered an SSDP search on the"
                        + " gateway 127.23.10.2");
        assertThat(igd.calls).isEmpty();
    }
}
