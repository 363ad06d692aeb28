package org.kadshare.overlay.krpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.krpc.KrpcFixtures.A;
import static org.kadshare.overlay.krpc.KrpcFixtures.T;
import static org.kadshare.overlay.krpc.KrpcFixtures.TOKEN;
import static org.kadshare.overlay.krpc.KrpcFixtures.ipv4;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.NodeIdentity;

class ManifestTransportTest {
    private static final ContentId CONTENT = ContentId.of(new byte[ContentId.LENGTH_BYTES]);
    private static final NodeId KEY = NodeId.of(CONTENT.dhtKey());

    private static byte[] largestManifest() {
        Manifest m = Manifest.sign(CONTENT, Long.MAX_VALUE, "n".repeat(Manifest.MAX_NAME_BYTES),
                "application/" + "x".repeat(Manifest.MAX_MEDIA_TYPE_BYTES - "application/".length()),
                Long.MAX_VALUE, NodeIdentity.generate());
        return ManifestCodec.encode(m);
    }

    @Test
    void signedManifestSurvivesPutManifestAndStillVerifies() throws Exception {
        byte[] encoded = largestManifest();
        PutManifestQuery put = new PutManifestQuery(T, A, KEY, EncodedManifest.of(encoded), TOKEN,
                Optional.of(ClientVersion.KADSHARE));

        PutManifestQuery decoded = (PutManifestQuery) KrpcCodec.decode(KrpcCodec.encode(put));

        Manifest m = ManifestCodec.decode(decoded.manifest().toBytes());
        assertThat(m.verifySignature()).isTrue();
        assertThat(NodeId.of(m.id().dhtKey())).isEqualTo(decoded.key());
    }

    @Test
    void fullGetManifestsResponseOfLargestManifestsFitsTheDatagramLimit() throws Exception {
        EncodedManifest largest = EncodedManifest.of(largestManifest());
        List<NodeInfo> eightNodes = Collections.nCopies(8, new NodeInfo(A, ipv4(10, 0, 0, 1, 6881)));
        KrpcResponse full = new KrpcResponse(T, A, eightNodes, List.of(), Optional.of(Token.of(new byte[Token.MAX_BYTES])),
                Collections.nCopies(KrpcResponse.MAX_MANIFESTS, largest), Optional.of(ClientVersion.KADSHARE));

        byte[] wire = KrpcCodec.encode(full);

        assertThat(wire.length).isLessThan(3 * 1024);
        assertThat(KrpcCodec.decode(wire)).isEqualTo(full);
    }
}
