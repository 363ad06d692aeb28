package org.kadshare.overlay.krpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.krpc.KrpcFixtures.M;
import static org.kadshare.overlay.krpc.KrpcFixtures.T;
import static org.kadshare.overlay.krpc.KrpcFixtures.bytes;
import static org.kadshare.overlay.krpc.KrpcFixtures.ipv4;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** BEP 42's top-level "ip" of a response: the querier's address as the responder saw it. */
class RequesterAddressTest {
    @Test
    void aResponseSaysWhereTheQueryCameFromAtTheTopLevel() throws Exception {
        KrpcResponse r = KrpcResponse.ofId(T, M, Optional.empty()).toRequester(ipv4(11, 77, 5, 1, 4870));
        byte[] datagram = KrpcCodec.encode(r);
        assertThat(KrpcFixtures.text(datagram)).startsWith("d2:ip6:");
        assertThat(((KrpcResponse) KrpcCodec.decode(datagram)).requester())
                .contains(new PeerInfo(ipv4(11, 77, 5, 1, 4870)));
        assertThat(KrpcCodec.decode(datagram)).isEqualTo(r);
    }

    @Test
    void aResponseWithoutIpHasNoRequester() throws Exception {
        byte[] datagram = KrpcCodec.encode(KrpcResponse.ofId(T, M, Optional.empty()));
        assertThat(((KrpcResponse) KrpcCodec.decode(datagram)).requester()).isEmpty();
    }

    @Test
    void anIpThatIsNotACompactIpv4EndpointIsIgnoredNotAnError() throws Exception {
        String body = "1:rd2:id20:mnopqrstuvwxyz123456e1:t2:aa1:y1:re";
        for (String ip : new String[] {"2:ip4:abcd", "2:ip18:abcdefghijklmnopqr", "2:ipi5e", "2:ip6:\u0001\u0002\u0003\u0004\u0000\u0000"}) {
            KrpcMessage m = KrpcCodec.decode(bytes("d" + ip + body));
            assertThat(((KrpcResponse) m).requester()).as(ip).isEmpty();
        }
    }
}
