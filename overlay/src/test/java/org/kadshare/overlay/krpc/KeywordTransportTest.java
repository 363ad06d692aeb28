package org.kadshare.overlay.krpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kadshare.overlay.krpc.KrpcFixtures.A;
import static org.kadshare.overlay.krpc.KrpcFixtures.T;
import static org.kadshare.overlay.krpc.KrpcFixtures.TOKEN;
import static org.kadshare.overlay.krpc.KrpcFixtures.ipv4;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.NodeId;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.KeywordRecordCodec;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.NodeIdentity;

class KeywordTransportTest {
    private static final Optional<ClientVersion> V = Optional.of(ClientVersion.KADSHARE);
    private static final String WORD = "\uD840\uDC00".repeat(Keywords.MAX_WORD_CODE_POINTS);
    private static final NodeId KEY = NodeId.of(Keywords.dhtKey(WORD));

    private static byte[] largestRecord() {
        NodeIdentity publisher = NodeIdentity.generate();
        Manifest m = Manifest.sign(ContentId.of(new byte[ContentId.LENGTH_BYTES]), Long.MAX_VALUE,
                "n".repeat(Manifest.MAX_NAME_BYTES),
                "application/" + "x".repeat(Manifest.MAX_MEDIA_TYPE_BYTES - "application/".length()),
                Long.MAX_VALUE, publisher);
        return KeywordRecordCodec.encode(KeywordRecord.sign(WORD, m, publisher));
    }

    @Test
    void putKeywordAndGetKeywordsRoundTripAndTheRecordStillVerifies() throws Exception {
        PutKeywordQuery put = new PutKeywordQuery(T, A, KEY, EncodedKeyword.of(largestRecord()), TOKEN, V);
        PutKeywordQuery decoded = (PutKeywordQuery) KrpcCodec.decode(KrpcCodec.encode(put));
        assertThat(decoded).isEqualTo(put);
        assertThat(KeywordRecordCodec.decode(decoded.record().toBytes()).dhtKey()).isEqualTo(KEY.toBytes());
        GetKeywordsQuery get = new GetKeywordsQuery(T, A, KEY, Optional.of(TOKEN), V);
        assertThat(KrpcCodec.decode(KrpcCodec.encode(get))).isEqualTo(get);
    }

    @Test
    void aFullGetKeywordsResponseOfTheLargestRecordsFitsTheDatagramLimit() throws Exception {
        EncodedKeyword largest = EncodedKeyword.of(largestRecord());
        List<NodeInfo> eightNodes = Collections.nCopies(8, new NodeInfo(A, ipv4(10, 0, 0, 1, 6881)));
        KrpcResponse full = new KrpcResponse(T, A, eightNodes, List.of(), Optional.of(Token.of(new byte[Token.MAX_BYTES])),
                List.of(), Collections.nCopies(KrpcResponse.MAX_KEYWORDS, largest), 0, V,
                Optional.empty());
        byte[] wire = KrpcCodec.encode(full);
        assertThat(wire.length).isLessThanOrEqualTo(KrpcCodec.MAX_DATAGRAM_BYTES);
        assertThat(KrpcCodec.decode(wire)).isEqualTo(full);
    }

    @Test
    void aResponseWithMoreThanEightRecordsOrARecordThatIsNotAStringIsRefused() {
        String nine = "d1:rd2:id20:aaaaaaaaaaaaaaaaaaaa8:keywordsl" + "1:x".repeat(9) + "ee1:t2:xy1:y1:re";
        assertThatThrownBy(() -> KrpcCodec.decode(nine.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(KrpcDecodeException.class).hasMessageContaining("more than 8");
        String notString = "d1:rd2:id20:aaaaaaaaaaaaaaaaaaaa8:keywordsli1eee1:t2:xy1:y1:re";
        assertThatThrownBy(() -> KrpcCodec.decode(notString.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(KrpcDecodeException.class).hasMessageContaining("\"keywords\" entry 0 must be a string");
    }
}
