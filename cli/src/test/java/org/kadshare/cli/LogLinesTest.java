package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.DhtCounters;
import org.kadshare.overlay.dht.DhtStatus;
import org.kadshare.overlay.dht.KrpcTraffic;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.runtime.UdpCounters;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.download.PeerProgress;

/** What the node's log lines for transfers and KRPC traffic say. */
class LogLinesTest {
    @Test
    void theTrafficLineCountsDatagramsAnswersAndEveryKindOfDrop() {
        DhtStatus status = new DhtStatus(NodeId.of(new byte[20]), 9, 7, 3, 2, 1, new DhtCounters(4, 5, 6, 8, 40, 2, 11, 12));
        UdpCounters udp = new UdpCounters(120, 1, 0, 110, 3, 0, 0);

        assertThat(TrafficLog.line(status, udp)).isEqualTo("krpc: 120 datagrams in, 110 out, 40 queries answered,"
                + " 1 of ours pending; dropped: 4 garbage, 5 malformed, 6 rate-limited, 8 unknown replies, 1 oversize,"
                + " 3 unsent, 2 own queries refused; 11 own queries paced, 12 lookups joined; routing table 7 live of 9");
    }

    @Test
    void theQueriesPartCountsEachMethodBothWaysAndTheLookupsWithTheirMeanTime() {
        KrpcTraffic.Snapshot t = new KrpcTraffic.Snapshot(Map.of("get_peers", 3L, "find_node", 2L),
                Map.of("ping", 1L), Map.of("peers", new KrpcTraffic.LookupHistogram(
                        new long[] {1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, 120)));

        assertThat(TrafficLog.queries(t)).isEqualTo("queries in: find_node 2, get_peers 3; out: ping 1;"
                + " lookups: peers 2 (mean 60 ms)");
        assertThat(TrafficLog.queries(new KrpcTraffic.Snapshot(Map.of(), Map.of(), Map.of())))
                .isEqualTo("queries in: none; out: none; lookups: none");
    }

    @Test
    void aTransferNamesEachHolderThatGaveBytesOrFailed() {
        PeerProgress gave = new PeerProgress(new InetSocketAddress("127.0.0.2", 4870), PeerProgress.State.CONNECTED,
                2048, 2, 0, "");
        PeerProgress idle = new PeerProgress(new InetSocketAddress("127.0.0.3", 4870), PeerProgress.State.WAITING,
                0, 0, 0, null);
        PeerProgress gone = new PeerProgress(new InetSocketAddress("127.0.0.4", 4870), PeerProgress.State.FAILED,
                0, 0, 0, "connection reset");
        DownloadProgress p = new DownloadProgress(2048, 2048, 1000, 0, 0, 0, 0, 0, 0, List.of(gave, idle, gone));

        assertThat(TransferLog.peers(p)).isEqualTo("; from 127.0.0.2:4870 2.0 KiB, 127.0.0.4:4870 0 B (connection reset)");
        assertThat(TransferLog.peers(null)).isEmpty();
    }
}
