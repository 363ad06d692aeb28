package org.kadshare.overlay.krpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kadshare.overlay.krpc.KrpcFixtures.A;
import static org.kadshare.overlay.krpc.KrpcFixtures.M;
import static org.kadshare.overlay.krpc.KrpcFixtures.T;
import static org.kadshare.overlay.krpc.KrpcFixtures.TOKEN;
import static org.kadshare.overlay.krpc.KrpcFixtures.ipv4;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KrpcMessagesTest {

    @Test
    void transactionIdsOutside1To32BytesAreRejected() {
        assertThatThrownBy(() -> TransactionId.of(new byte[0])).hasMessageContaining("1..32");
        assertThatThrownBy(() -> TransactionId.of(new byte[33])).hasMessageContaining("got 33");
        assertThat(TransactionId.of(new byte[32]).length()).isEqualTo(32);
    }

    @Test
    void opaqueValuesCopyTheirBytesInAndOut() {
        byte[] raw = {1, 2};
        TransactionId t = TransactionId.of(raw);
        raw[0] = 9;
        t.toBytes()[1] = 9;

        assertThat(t).isEqualTo(TransactionId.of(new byte[] {1, 2}));
    }

    @Test
    void nodeInfoRejectsIpv6UnresolvedAndPortZero() {
        assertThatThrownBy(() -> new NodeInfo(A, new InetSocketAddress("::1", 6881)))
                .hasMessageContaining("IPv4");
        assertThatThrownBy(() -> new NodeInfo(A, InetSocketAddress.createUnresolved("example.org", 6881)))
                .hasMessageContaining("IPv4");
        assertThatThrownBy(() -> new NodeInfo(A, ipv4(10, 0, 0, 1, 0))).hasMessageContaining("port");
        assertThatThrownBy(() -> new PeerInfo(ipv4(10, 0, 0, 1, 0))).hasMessageContaining("port");
    }

    @Test
    void announceRejectsPortZeroUnlessPortIsImplied() {
        assertThatThrownBy(() -> new AnnouncePeerQuery(T, A, M, 0, false, TOKEN, Optional.empty()))
                .hasMessageContaining("1..65535");
        assertThat(new AnnouncePeerQuery(T, A, M, 0, true, TOKEN, Optional.empty()).port()).isZero();
    }

    @Test
    void responsesCarryAtMostFourManifestsAndCopyTheirLists() {
        EncodedManifest m = EncodedManifest.of(new byte[] {1});
        assertThatThrownBy(() -> new KrpcResponse(T, M, List.of(), List.of(), Optional.empty(),
                Collections.nCopies(KrpcResponse.MAX_MANIFESTS + 1, m), Optional.empty()))
                .hasMessageContaining("at most 4 manifests");

        List<EncodedManifest> list = new ArrayList<>(List.of(m));
        KrpcResponse r = new KrpcResponse(T, M, List.of(), List.of(), Optional.empty(), list, Optional.empty());
        list.add(m);

        assertThat(r.manifests()).hasSize(1);
    }

    @Test
    void missingFieldsAreNamed() {
        assertThatThrownBy(() -> new FindNodeQuery(T, A, null, Optional.empty())).hasMessageContaining("target");
        assertThatThrownBy(() -> new PingQuery(null, A, Optional.empty())).hasMessageContaining("transaction ID");
        assertThatThrownBy(() -> new KrpcError(T, -1, "x", Optional.empty())).hasMessageContaining("-1");
    }
}
