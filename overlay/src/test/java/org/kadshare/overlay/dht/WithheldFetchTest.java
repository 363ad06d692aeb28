package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.krpc.ClientVersion;
import org.kadshare.overlay.krpc.EncodedManifest;
import org.kadshare.overlay.krpc.GetManifestsQuery;
import org.kadshare.overlay.krpc.KrpcCodec;
import org.kadshare.overlay.krpc.KrpcDecodeException;
import org.kadshare.overlay.krpc.KrpcMessage;
import org.kadshare.overlay.krpc.KrpcQuery;
import org.kadshare.overlay.krpc.KrpcResponse;
import org.kadshare.overlay.krpc.Token;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestCodec;
import org.kadshare.storage.NodeIdentity;

/**
 * The second query of a lookup, which carries the token of an answer that withheld manifests,
 * against one remote peer played by hand in virtual time.
 */
class WithheldFetchTest {
    private static final Optional<ClientVersion> V = Optional.of(ClientVersion.KADSHARE);
    private static final long SLOW_ANSWER_MILLIS = 2_500;

    private final VirtualTime time = new VirtualTime();
    private final SplittableRandom random = new SplittableRandom(41);
    private final InetSocketAddress peer = new InetSocketAddress("127.19.0.2", 6881);
    private final NodeId peerId = NodeId.random(random);
    private final Token token = Token.of(new byte[] {4, 1, 4, 1, 4, 1, 4, 1});
    private final List<Long> tokenQueriesAt = new ArrayList<>();
    private final List<Long> tokenAnswersAt = new ArrayList<>();
    private DhtNode node;
    private byte[] manifest;

    /**
     * The remote peer: answers every query at once, except a get_manifests carrying its token,
     * which it answers with the manifest {@link #SLOW_ANSWER_MILLIS} later; a get_manifests
     * without it gets the manifest withheld and the token.
     */
    private void peerReceives(byte[] datagram) {
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            throw new AssertionError(e);
        }
        if (!(message instanceof KrpcQuery query)) {
            return;
        }
        if (query instanceof GetManifestsQuery get && get.token().isPresent()) {
            tokenQueriesAt.add(time.nowMillis());
            KrpcResponse full = new KrpcResponse(get.transactionId(), peerId, List.of(), List.of(),
                    Optional.of(token), List.of(EncodedManifest.of(manifest)), V);
            time.schedule(SLOW_ANSWER_MILLIS, () -> {
                tokenAnswersAt.add(time.nowMillis());
                node.receive(peer, KrpcCodec.encode(full));
            });
        } else if (query instanceof GetManifestsQuery get) {
            KrpcResponse withholding = new KrpcResponse(get.transactionId(), peerId, List.of(), List.of(),
                    Optional.of(token), List.of(), 1, V);
            time.schedule(0, () -> node.receive(peer, KrpcCodec.encode(withholding)));
        } else {
            KrpcResponse bare = KrpcResponse.ofId(query.transactionId(), peerId, V);
            time.schedule(0, () -> node.receive(peer, KrpcCodec.encode(bare)));
        }
    }

    @Test
    void aSlowAnswerToTheTokenQueryStillBringsTheWithheldManifests() {
        node = new DhtNode(time.environment(41, (to, datagram) -> {
            if (to.equals(peer)) {
                peerReceives(datagram);
            }
        }), NodeId.random(random), DhtConfig.defaults());
        node.start();
        CompletableFuture<Integer> joined = node.join(List.of(peer));
        time.runFor(10_000);
        assertThat(joined).as("joined through the peer, whose instant answers set the RTT estimate")
                .isCompletedWithValue(1);
        byte[] content = new byte[ContentId.LENGTH_BYTES];
        random.nextBytes(content);
        ContentId id = ContentId.of(content);
        NodeId key = NodeId.of(id.dhtKey());
        manifest = ManifestCodec.encode(Manifest.sign(id, 99, "slow.txt", "text/plain", 1_700_000_000L,
                NodeIdentity.generate()));

        CompletableFuture<List<byte[]>> found = node.findManifests(key);
        time.runFor(30_000);

        assertThat(tokenQueriesAt).as("the peer was asked again with its token").hasSize(1);
        assertThat(tokenAnswersAt).hasSize(1);
        assertThat(tokenAnswersAt.get(0) - tokenQueriesAt.get(0))
                .as("the answer came later than the hard timeout of a 0 ms RTT estimate")
                .isGreaterThan(RttEstimator.HARD_MIN_MILLIS);
        assertThat(found).isDone();
        assertThat(found.join()).singleElement().isEqualTo(manifest);
    }
}
