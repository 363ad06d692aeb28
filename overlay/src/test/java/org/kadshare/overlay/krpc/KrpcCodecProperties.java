package org.kadshare.overlay.krpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.kadshare.overlay.dht.NodeId;

class KrpcCodecProperties {

    @Property(tries = 3000)
    void randomBytesNeverThrowAnythingButDecodeException(@ForAll @Size(max = 300) byte[] datagram) {
        decodeOrReject(datagram);
    }

    @Property(tries = 3000)
    void mutatedValidMessagesNeverThrowAnythingButDecodeException(
            @ForAll("validDatagrams") byte[] valid,
            @ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll byte replacement,
            @ForAll @IntRange(min = 0, max = 3) int mutation) {
        int at = position % (valid.length + 1);
        byte[] mutated = switch (mutation) {
            case 0 -> Arrays.copyOf(valid, at);
            case 1 -> {
                byte[] b = valid.clone();
                b[Math.min(at, b.length - 1)] = replacement;
                yield b;
            }
            case 2 -> {
                byte[] b = new byte[valid.length + 1];
                System.arraycopy(valid, 0, b, 0, at);
                b[at] = replacement;
                System.arraycopy(valid, at, b, at + 1, valid.length - at);
                yield b;
            }
            default -> {
                int from = Math.min(at, valid.length - 1);
                byte[] b = new byte[valid.length - 1];
                System.arraycopy(valid, 0, b, 0, from);
                System.arraycopy(valid, from + 1, b, from, valid.length - from - 1);
                yield b;
            }
        };
        decodeOrReject(mutated);
    }

    @Property(tries = 500)
    void generatedResponsesRoundTrip(@ForAll("responses") KrpcResponse response) throws Exception {
        assertThat(KrpcCodec.decode(KrpcCodec.encode(response))).isEqualTo(response);
    }

    private static void decodeOrReject(byte[] datagram) {
        try {
            KrpcMessage m = KrpcCodec.decode(datagram);
            assertThat(KrpcCodec.decode(KrpcCodec.encode(m))).isEqualTo(m);
        } catch (KrpcDecodeException e) {
            assertThat(e.errorCode()).isIn(KrpcError.PROTOCOL, KrpcError.METHOD_UNKNOWN);
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<byte[]> validDatagrams() {
        List<byte[]> valid = KrpcFixtures.everyKind().stream()
                .filter(m -> !(m instanceof PutManifestQuery))
                .map(KrpcCodec::encode)
                .toList();
        return Arbitraries.of(valid);
    }

    @Provide
    Arbitrary<KrpcResponse> responses() {
        Arbitrary<NodeId> ids = Arbitraries.bytes().array(byte[].class).ofSize(NodeId.LENGTH_BYTES).map(NodeId::of);
        Arbitrary<NodeInfo> nodes = Combinators.combine(ids, Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.integers().between(1, 65_535))
                .as((id, ip, port) -> new NodeInfo(id, KrpcFixtures.ipv4(ip[0], ip[1], ip[2], ip[3], port)));
        Arbitrary<PeerInfo> peers = Combinators.combine(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.integers().between(1, 65_535))
                .as((ip, port) -> new PeerInfo(KrpcFixtures.ipv4(ip[0], ip[1], ip[2], ip[3], port)));
        Arbitrary<Optional<Token>> tokens = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(Token.MAX_BYTES)
                .map(Token::of).optional();
        Arbitrary<EncodedManifest> manifests = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(EncodedManifest.MAX_BYTES)
                .map(EncodedManifest::of);
        Arbitrary<TransactionId> tids = Arbitraries.bytes().array(byte[].class).ofMinSize(1)
                .ofMaxSize(TransactionId.MAX_BYTES).map(TransactionId::of);
        return Combinators.combine(tids, ids, nodes.list().ofMaxSize(16), peers.list().ofMaxSize(50), tokens,
                manifests.list().ofMaxSize(KrpcResponse.MAX_MANIFESTS),
                Arbitraries.of(Optional.<ClientVersion>empty(), Optional.of(ClientVersion.KADSHARE)))
                .as(KrpcResponse::new);
    }
}
