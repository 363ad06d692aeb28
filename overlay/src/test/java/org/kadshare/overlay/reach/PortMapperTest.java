package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PortMapperTest {
    /** A router answering NAT-PMP as told: granting, moving ports, refusing or silent. */
    private static final class FakeRouter implements NatPmpTransport {
        int portShift;
        long grantedLifetime = 60;
        int resultCode;
        boolean silent;
        final List<String> requests = new ArrayList<>();

        @Override
        public byte[] exchange(byte[] request) throws IOException {
            if (silent) {
                throw new NatPmpException("no NAT-PMP answer from the gateway " + gateway() + " after 3 tries");
            }
            ByteBuffer in = ByteBuffer.wrap(request);
            int opcode = request[1];
            if (opcode == 0) {
                return ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) resultCode).putInt(5)
                        .put(new byte[] {11, 77, 5, 1}).array();
            }
            int internal = in.getShort(4) & 0xffff;
            int suggested = in.getShort(6) & 0xffff;
            long lifetime = in.getInt(8) & 0xffff_ffffL;
            requests.add((opcode == 2 ? "TCP" : "UDP") + " " + internal + " " + suggested + " " + lifetime);
            int external = lifetime == 0 ? 0 : (suggested == internal ? internal + portShift : suggested);
            return ByteBuffer.allocate(16).put((byte) 0).put((byte) (128 + opcode)).putShort((short) resultCode)
                    .putInt(5).putShort((short) internal).putShort((short) external)
                    .putInt((int) (lifetime == 0 ? 0 : Math.min(lifetime, grantedLifetime))).array();
        }

        @Override
        public String gateway() {
            return "192.168.51.1";
        }
    }

    private final FakeRouter router = new FakeRouter();
    private final AtomicLong now = new AtomicLong(1_000);
    private final PortMapper mapper = new PortMapper(new NatPmpRouter(router), now::get, 4870, 4871, 7200);

    @Test
    void mapsBothPortsAndRenewsAtHalfTheGrantedLifetime() {
        long next = mapper.refresh();
        assertThat(next).isEqualTo(30_000);
        assertThat(mapper.mapping(MappingProtocol.TCP)).contains(
                new ActiveMapping(MappingProtocol.TCP, 4870, 4870, 61_000));
        assertThat(mapper.mapping(MappingProtocol.UDP).orElseThrow().externalPort()).isEqualTo(4871);
        assertThat(mapper.externalAddress().orElseThrow().getHostAddress()).isEqualTo("11.77.5.1");
        assertThat(mapper.problem()).isEmpty();
        assertThat(router.requests).containsExactly("UDP 4871 4871 7200", "TCP 4870 4870 7200");
    }

    @Test
    void aRouterThatMapsAnotherPortIsFollowedAndAskedForThatPortOnRenewal() {
        router.portShift = 1000;
        mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP).orElseThrow().externalPort()).isEqualTo(5870);
        now.addAndGet(30_000);
        mapper.refresh();
        assertThat(router.requests).endsWith("TCP 4870 5870 7200");
        assertThat(mapper.mapping(MappingProtocol.TCP).orElseThrow().externalPort()).isEqualTo(5870);
        assertThat(mapper.renewals()).isEqualTo(2);
    }

    @Test
    void aRouterThatRefusesLeavesNoMappingSaysWhyAndIsAskedAgainLater() {
        router.resultCode = 2;
        long next = mapper.refresh();
        assertThat(next).isEqualTo(PortMapper.RETRY_MILLIS);
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
        assertThat(mapper.problem()).contains("TCP 4870: the router refused: not authorized or refused");
    }

    @Test
    void aRouterThatKeepsRefusingIsAskedAgainLessAndLessOftenAndOnceItGrantsAtTheUsualPace() {
        router.resultCode = 2;
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            long next = mapper.refresh();
            waits.add(next);
            now.addAndGet(next);
        }
        assertThat(waits).containsExactly(60_000L, 120_000L, 240_000L, 480_000L, 960_000L, 1_800_000L,
                1_800_000L, 1_800_000L);
        router.resultCode = 0;
        assertThat(mapper.refresh()).as("granted: renew at half the lifetime").isEqualTo(30_000);
        router.resultCode = 2;
        now.addAndGet(120_000);
        assertThat(mapper.refresh()).as("refused again after a grant: the first wait").isEqualTo(60_000);
    }

    @Test
    void aMappingWhoseRenewalFailsLastsUntilItsLifetimeEndsThenIsGone() {
        mapper.refresh();
        router.silent = true;
        now.addAndGet(30_000);
        long next = mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP)).isPresent();
        assertThat(next).isEqualTo(30_000);
        assertThat(mapper.problem()).contains("no NAT-PMP answer");
        now.addAndGet(30_000);
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
        mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
        router.silent = false;
        mapper.refresh();
        assertThat(mapper.mapping(MappingProtocol.TCP)).isPresent();
    }

    @Test
    void aShortLifetimeIsRenewedOftenButNeverInATightLoop() {
        router.grantedLifetime = 1;
        assertThat(mapper.refresh()).isEqualTo(PortMapper.MIN_REFRESH_MILLIS);
    }

    @Test
    void releaseDeletesBothMappings() {
        mapper.refresh();
        mapper.release();
        assertThat(router.requests).endsWith("UDP 4871 0 0", "TCP 4870 0 0");
        assertThat(mapper.mapping(MappingProtocol.TCP)).isEmpty();
    }
}
