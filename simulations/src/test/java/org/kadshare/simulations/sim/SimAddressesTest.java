package org.kadshare.simulations.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimAddressesTest {

    @Test
    void everySlotHasADistinctPrivateIpThatMapsBackToIt() {
        Set<String> ips = new HashSet<>();
        for (int i : new int[] {0, 1, 254, 255, 256, 65_535, 65_536, 1_000_000, SimAddresses.CAPACITY - 1}) {
            InetSocketAddress a = SimAddresses.of(i);
            assertThat(a.getAddress().getAddress()[0]).isEqualTo((byte) 10);
            assertThat(a.isUnresolved()).isFalse();
            assertThat(SimAddresses.indexOf(a)).isEqualTo(i);
            assertThat(ips.add(a.getAddress().getHostAddress())).isTrue();
        }
    }

    @Test
    void foreignAddressesAreNotSlots() {
        assertThat(SimAddresses.indexOf(new InetSocketAddress("127.0.0.1", SimAddresses.PORT))).isEqualTo(-1);
        assertThat(SimAddresses.indexOf(new InetSocketAddress("10.0.0.1", 1234))).isEqualTo(-1);
        assertThat(SimAddresses.indexOf(new InetSocketAddress("10.0.0.0", SimAddresses.PORT))).isEqualTo(-1);
    }
}
