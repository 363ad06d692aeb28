package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code node} processes on the multi-host test network (testnet/e2e.sh): 9 hosts at 7 sites,
 * three behind NAT routers, 20 to 150 ms one way between sites and 1 % loss, added by a userspace
 * switch. Every DHT lookup must find its holder and a host behind each NAT must fetch a file from
 * a public host byte-identical; the host behind miniupnpd (PCP, NAT-PMP, UPnP-IGD) must map its
 * ports by PCP and be reached through them (a file put there fetched from a public host and from
 * behind the other NAT), the one behind the refusing router must fall back from PCP to NAT-PMP and
 * say it is unreachable and why, peers' pings of the DHT port from another port must get in to the
 * mapped and a public host and not to the refused one, and the one behind the router with NAT-PMP
 * off must be mapped through UPnP-IGD and a file put there fetched. It needs root,
 * /dev/net/tun, iproute2, iptables, nftables, miniupnpd and python3, and fails, naming what is
 * missing, when it cannot build the network.
 */
class MultiHostNetworkIT {
    @TempDir
    Path tmp;

    @Test
    void hostsBehindNatFetchAFileFromAPublicHostEveryLookupFindsItsHolderAndAMappedHolderIsReached() throws Exception {
        Path script = NodeProcess.repositoryRoot().resolve("testnet/e2e.sh");
        NodeProcess.Result r = NodeProcess.runCommand(List.of(script.toString()),
                Map.of("TMPDIR", tmp.toString()), Duration.ofSeconds(600));
        System.out.println(r.stdout());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("e2e: passed").containsPattern("lookups: (\\d+) of \\1 found the holder");
    }
}
