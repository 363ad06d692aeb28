package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeywordRecordTest {
    private static final NodeIdentity PUBLISHER = ManifestTest.exampleSigner();

    private static KeywordRecord record(String word) {
        return KeywordRecord.sign(word, ManifestTest.example(), PUBLISHER);
    }

    @Test
    void aSignedRecordVerifiesAndRoundTripsThroughItsEncoding() throws ManifestException {
        KeywordRecord r = record("hello");
        byte[] encoded = KeywordRecordCodec.encode(r);
        assertThat(r.verifySignature()).isTrue();
        assertThat(KeywordRecordCodec.decode(encoded)).isEqualTo(r);
        assertThat(r.dhtKey()).isEqualTo(Keywords.dhtKey("hello"));
    }

    @Test
    void aRecordFiledUnderAnotherWordDoesNotVerify() {
        byte[] encoded = KeywordRecordCodec.encode(record("hello"));
        String text = new String(encoded, StandardCharsets.ISO_8859_1).replace("1:k5:hello", "1:k5:spams");
        assertThatThrownBy(() -> KeywordRecordCodec.decode(text.getBytes(StandardCharsets.ISO_8859_1)))
                .isInstanceOf(ManifestException.class).hasMessageContaining("signature does not verify");
    }

    @Test
    void aRecordSignedByAnotherKeyThanTheManifestsPublisherDoesNotVerify() {
        KeywordRecord honest = record("hello");
        NodeIdentity forger = NodeIdentity.generate();
        KeywordRecord unsigned = new KeywordRecord("hello", honest.manifest(), new byte[64]);
        KeywordRecord forged = new KeywordRecord("hello", honest.manifest(),
                forger.sign(KeywordRecordCodec.signingInput(unsigned)));
        assertThat(forged.verifySignature()).isFalse();
        assertThatThrownBy(() -> KeywordRecordCodec.decode(KeywordRecordCodec.encode(forged)))
                .isInstanceOf(ManifestException.class);
        assertThatThrownBy(() -> KeywordRecord.sign("hello", honest.manifest(), forger))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("publisher");
    }

    @Test
    void aRecordWhoseWordIsNotNormalisedIsRefused() {
        assertThatThrownBy(() -> record("Hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> record("hi")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void garbageTruncatedAndOversizedBytesAreRefusedWithAMessage() {
        byte[] encoded = KeywordRecordCodec.encode(record("hello"));
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 1);
        assertThatThrownBy(() -> KeywordRecordCodec.decode(truncated)).isInstanceOf(ManifestException.class);
        assertThatThrownBy(() -> KeywordRecordCodec.decode("i1e".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(ManifestException.class).hasMessageContaining("dictionary");
        assertThatThrownBy(() -> KeywordRecordCodec.decode(new byte[KeywordRecordCodec.MAX_ENCODED_BYTES + 1]))
                .isInstanceOf(ManifestException.class).hasMessageContaining("exceeds");
    }

    @Test
    void theLargestRecordFitsTheEncodedBound() {
        String name = "n".repeat(Manifest.MAX_NAME_BYTES);
        String type = "application/" + "x".repeat(Manifest.MAX_MEDIA_TYPE_BYTES - 12);
        Manifest big = Manifest.sign(ManifestTest.EXAMPLE_ID, Long.MAX_VALUE, name, type, Long.MAX_VALUE, PUBLISHER);
        String word = "\uD840\uDC00".repeat(Keywords.MAX_WORD_CODE_POINTS);
        assertThat(KeywordRecordCodec.encode(KeywordRecord.sign(word, big, PUBLISHER)))
                .hasSizeLessThanOrEqualTo(KeywordRecordCodec.MAX_ENCODED_BYTES);
    }
}
