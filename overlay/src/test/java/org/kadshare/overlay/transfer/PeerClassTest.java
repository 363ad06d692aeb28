package org.kadshare.overlay.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PeerClassTest {
    @Test
    void addressesAreSortedIntoLoopbackPrivateAndPublic() throws Exception {
        assertThat(PeerClass.of(InetAddress.getByName("127.25.0.1"))).isEqualTo(PeerClass.LOOPBACK);
        assertThat(PeerClass.of(InetAddress.getByName("::1"))).isEqualTo(PeerClass.LOOPBACK);
        assertThat(PeerClass.of(InetAddress.getByName("10.1.2.3"))).isEqualTo(PeerClass.PRIVATE);
        assertThat(PeerClass.of(InetAddress.getByName("192.168.0.5"))).isEqualTo(PeerClass.PRIVATE);
        assertThat(PeerClass.of(InetAddress.getByName("169.254.1.1"))).isEqualTo(PeerClass.PRIVATE);
        assertThat(PeerClass.of(InetAddress.getByName("fd00::5"))).isEqualTo(PeerClass.PRIVATE);
        assertThat(PeerClass.of(InetAddress.getByName("8.8.8.8"))).isEqualTo(PeerClass.PUBLIC);
        assertThat(PeerClass.of(InetAddress.getByName("2001:db8::1"))).isEqualTo(PeerClass.PUBLIC);
        assertThat(PeerClass.PRIVATE.label()).isEqualTo("private");
    }
}
