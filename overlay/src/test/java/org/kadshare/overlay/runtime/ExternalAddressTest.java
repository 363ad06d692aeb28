package org.kadshare.overlay.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.testing.LoopbackDhtNetwork.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.DhtConfig;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.overlay.testing.LoopbackDhtNetwork;

/** Real sockets: nodes in distinct /24s of 127/8 learn the address their peers see them at. */
class ExternalAddressTest {
    private static final DhtConfig CONFIG = LoopbackDhtNetwork.fastConfig();

    @Test
    void nodesOnRealSocketsLearnTheirAddressFromThePeersAnswers() throws Exception {
        List<Dht> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                InetAddress a = InetAddress.getByAddress(new byte[] {127, 23, (byte) (10 + i), 1});
                nodes.add(Dht.start(DhtOptions.bindTo(new InetSocketAddress(a, 0)).withConfig(CONFIG)));
            }
            for (int i = 1; i < nodes.size(); i++) {
                await(nodes.get(i).join(List.of(nodes.get(0).localAddress())), "join");
            }
            Dht last = nodes.get(nodes.size() - 1);
            await(last.findHolders(NodeId.random(new SplittableRandom(3))), "lookup");
            assertThat(await(last.externalAddress(), "external address")).contains(last.localAddress());
        } finally {
            nodes.forEach(Dht::close);
        }
    }
}
