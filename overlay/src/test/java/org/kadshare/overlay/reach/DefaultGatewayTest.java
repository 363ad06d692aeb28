package org.kadshare.overlay.reach;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DefaultGatewayTest {
    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    @Test
    void theDefaultRoutesGatewayIsReadInHostByteOrder() throws Exception {
        String table = HEADER
                + "eth0\t0033A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
                + "eth0\t00000000\t0133A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
        assertThat(DefaultGateway.parse(table)).contains(
                (java.net.Inet4Address) InetAddress.getByName("192.168.51.1"));
    }

    @Test
    void noDefaultRouteMeansNoGateway() {
        String table = HEADER + "eth0\t0033A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        assertThat(DefaultGateway.parse(table)).isEmpty();
        assertThat(DefaultGateway.parse("")).isEmpty();
        assertThat(DefaultGateway.parse("garbage\nnot a table at all x y z w v\n")).isEmpty();
    }

    @Test
    void aDefaultRouteWithoutTheGatewayFlagIsSkipped() {
        String table = HEADER + "tun0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n";
        assertThat(DefaultGateway.parse(table)).isEmpty();
    }
}
