package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.AddressDiversity;

/**
 * The end-to-end test network spreads its sites as the Internet does: the DHT trusts at most
 * {@link AddressDiversity#DEFAULT_PER_SUBNET} nodes of one /16 among those a record is stored on
 * and a lookup's closest, so a network whose public hosts share one /16 stores each record on two
 * nodes, and under its 1 % loss a lookup now and then ends without the record (the occasional
 * miss MultiHostNetworkIT saw while every public address was in 11.77.0.0/16).
 */
class TestNetworkAddressesTest {
    /** The outside addresses (public hosts and NAT routers) of {@code conf}, by /16. */
    private static Map<String, List<String>> bySlash16(Path conf) throws Exception {
        Map<String, List<String>> groups = new TreeMap<>();
        for (String line : Files.readAllLines(conf)) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && (f[0].equals("host") || f[0].equals("nat"))) {
                byte[] b = InetAddress.getByName(f[3]).getAddress();
                groups.computeIfAbsent((b[0] & 0xff) + "." + (b[1] & 0xff), k -> new ArrayList<>()).add(f[1]);
            }
        }
        return groups;
    }

    @Test
    void noSlash16OfTheEndToEndNetworkHoldsMoreNodesThanTheDhtTrustsTogether() throws Exception {
        Map<String, List<String>> groups = bySlash16(Path.of("").toAbsolutePath().resolveSibling("testnet").resolve("e2e.conf"));
        assertThat(groups.values().stream().mapToInt(List::size).sum()).as("outside addresses").isEqualTo(9);
        assertThat(groups).allSatisfy((slash16, nodes) -> assertThat(nodes).as("nodes in %s.0.0/16", slash16)
                .hasSizeLessThanOrEqualTo(AddressDiversity.DEFAULT_PER_SUBNET));
    }
}
