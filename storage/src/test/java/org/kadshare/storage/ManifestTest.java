package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestTest {

    static final ContentId EXAMPLE_ID = ContentId.of(filled((byte) 0xab, 32));

    static NodeIdentity exampleSigner() {
        byte[] seed = new byte[32];
        for (int i = 0; i < seed.length; i++) {
            seed[i] = (byte) (i + 1);
        }
        return NodeIdentity.fromSeed(seed);
    }

    static Manifest example() {
        return Manifest.sign(EXAMPLE_ID, 6, "hello.txt", "text/plain", 1_700_000_000L,
                exampleSigner());
    }

    private static byte[] filled(byte b, int n) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }

    @Test
    void theWorkedExampleOfTheProtocolDocumentEncodesToTheseExactBytes() throws ManifestException {
        String expected = EXAMPLE_HEX;
        byte[] encoded = ManifestCodec.encode(example());
        assertThat(HexFormat.of().formatHex(encoded)).isEqualTo(expected);
        assertThat(ManifestCodec.decode(HexFormat.of().parseHex(expected))).isEqualTo(example());
    }

    static final String EXAMPLE_HEX = ""
            + "64313a6333323aababababababababababababababababababababababababab"
            + "ababababababab313a6c693665313a6d31303a746578742f706c61696e313a6e"
            + "393a68656c6c6f2e747874313a7033323a79b5562e8fe654f94078b112e8a98b"
            + "a7901f853ae695bed7e0e3910bad049664313a7336343a463503de6cfcd0545f"
            + "84bdd3995bb4d08203641f827fdcd11bb7af3d77891f50591906cbe7117a7149"
            + "f088a6557dc0be0ac8e169ed59862addebd0dce9ce7f05313a74693137303030"
            + "303030303065313a7669316565";

    @Test
    void aSignedManifestVerifiesAndRoundTripsThroughItsEncoding() throws ManifestException {
        Manifest m = Manifest.sign(EXAMPLE_ID, 1L << 40, "Sommerfest 2024 – Bilder.zip",
                "Application/ZIP", 42, NodeIdentity.generate());
        assertThat(m.mediaType()).isEqualTo("application/zip");
        assertThat(m.verifySignature()).isTrue();
        assertThat(ManifestCodec.decode(ManifestCodec.encode(m))).isEqualTo(m);
        assertThat(ManifestCodec.fromDictionary(ManifestCodec.toDictionary(m))).isEqualTo(m);
    }

    static Stream<Arguments> fieldChanges() {
        ContentId otherId = ContentId.of(filled((byte) 0xac, 32));
        byte[] otherKey = NodeIdentity.generate().publicKey();
        return Stream.of(
                Arguments.of("id", (UnaryOperator<Manifest>) m -> new Manifest(otherId,
                        m.lengthBytes(), m.name(), m.mediaType(), m.createdEpochSeconds(),
                        m.publisherKey(), m.signature())),
                Arguments.of("length", (UnaryOperator<Manifest>) m -> new Manifest(m.id(),
                        m.lengthBytes() + 1, m.name(), m.mediaType(), m.createdEpochSeconds(),
                        m.publisherKey(), m.signature())),
                Arguments.of("name", (UnaryOperator<Manifest>) m -> new Manifest(m.id(),
                        m.lengthBytes(), "hello.txu", m.mediaType(), m.createdEpochSeconds(),
                        m.publisherKey(), m.signature())),
                Arguments.of("media type", (UnaryOperator<Manifest>) m -> new Manifest(m.id(),
                        m.lengthBytes(), m.name(), "text/html", m.createdEpochSeconds(),
                        m.publisherKey(), m.signature())),
                Arguments.of("created", (UnaryOperator<Manifest>) m -> new Manifest(m.id(),
                        m.lengthBytes(), m.name(), m.mediaType(), m.createdEpochSeconds() + 1,
                        m.publisherKey(), m.signature())),
                Arguments.of("publisher key", (UnaryOperator<Manifest>) m -> new Manifest(m.id(),
                        m.lengthBytes(), m.name(), m.mediaType(), m.createdEpochSeconds(),
                        otherKey, m.signature())),
                Arguments.of("signature", (UnaryOperator<Manifest>) m -> {
                    byte[] sig = m.signature();
                    sig[63] ^= 0x01;
                    return new Manifest(m.id(), m.lengthBytes(), m.name(), m.mediaType(),
                            m.createdEpochSeconds(), m.publisherKey(), sig);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fieldChanges")
    void changingAnyFieldBreaksVerification(String field, UnaryOperator<Manifest> change) {
        Manifest tampered = change.apply(example());
        assertThat(tampered).isNotEqualTo(example());
        assertThat(tampered.verifySignature()).as(field).isFalse();
        assertThatThrownBy(() -> ManifestCodec.decode(ManifestCodec.encode(tampered)))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("signature does not verify");
    }

    @Test
    void aSignatureByAnotherKeyUnderThePublishersKeyFails() {
        Manifest genuine = example();
        NodeIdentity forger = NodeIdentity.generate();
        Manifest forgersOwn = Manifest.sign(genuine.id(), genuine.lengthBytes(), genuine.name(),
                genuine.mediaType(), genuine.createdEpochSeconds(), forger);
        Manifest forged = new Manifest(genuine.id(), genuine.lengthBytes(), genuine.name(),
                genuine.mediaType(), genuine.createdEpochSeconds(), genuine.publisherKey(),
                forgersOwn.signature());
        assertThat(forgersOwn.verifySignature()).isTrue();
        assertThat(forged.verifySignature()).isFalse();
        assertThatThrownBy(() -> ManifestCodec.decode(ManifestCodec.encode(forged)))
                .isInstanceOf(ManifestException.class);
    }

    @Test
    void flippingAnyBitOfAnyByteOfTheExampleMakesDecodeFail() {
        byte[] encoded = ManifestCodec.encode(example());
        for (int pos = 0; pos < encoded.length; pos++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = encoded.clone();
                tampered[pos] ^= (byte) (1 << bit);
                int at = pos;
                assertThatThrownBy(() -> ManifestCodec.decode(tampered))
                        .as("bit %d of byte %d", bit, at)
                        .isInstanceOf(ManifestException.class);
            }
        }
    }

    @Test
    void theLargestValidManifestFitsTheDocumentedBound() throws ManifestException {
        String name = "n".repeat(Manifest.MAX_NAME_BYTES);
        String type = "application/" + "x".repeat(Manifest.MAX_MEDIA_TYPE_BYTES - 12);
        Manifest largest = Manifest.sign(EXAMPLE_ID, Long.MAX_VALUE, name, type, Long.MAX_VALUE,
                NodeIdentity.generate());
        byte[] encoded = ManifestCodec.encode(largest);
        assertThat(encoded).hasSize(598);
        assertThat(encoded.length).isLessThanOrEqualTo(ManifestCodec.MAX_ENCODED_BYTES)
                .isLessThan(1000);
        assertThat(ManifestCodec.decode(encoded)).isEqualTo(largest);
    }

    @Test
    void aMultiByteNameAtTheLimitFitsTheBoundToo() {
        String name = "\u00e9".repeat(127) + "a";
        Manifest m = Manifest.sign(EXAMPLE_ID, 0, name, "text/plain", 0, NodeIdentity.generate());
        assertThat(ManifestCodec.encode(m).length).isLessThanOrEqualTo(ManifestCodec.MAX_ENCODED_BYTES);
        assertThatThrownBy(() -> Manifest.sign(EXAMPLE_ID, 0, "\u00e9".repeat(128), "text/plain",
                0, NodeIdentity.generate()))
                .hasMessageContaining("1 to 255 UTF-8 bytes, got 256");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "a\\b", "tab\there", "nul\u0000", "del\u007f",
        "c1\u0085", "lone\ud800surrogate"})
    void invalidNamesAreRejected(String name) {
        assertThatThrownBy(() -> Manifest.sign(EXAMPLE_ID, 0, name, "text/plain", 0,
                exampleSigner()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("manifest name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text", "text/", "/plain", "text/plain/x", "text/pl ain",
        "text/plain; charset=utf-8", "t\u00e9xt/plain"})
    void invalidMediaTypesAreRejected(String type) {
        assertThatThrownBy(() -> Manifest.sign(EXAMPLE_ID, 0, "a", type, 0, exampleSigner()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("media type");
    }

    @Test
    void upperCaseMediaTypeIsRejectedByTheConstructor() {
        Manifest m = example();
        assertThatThrownBy(() -> new Manifest(m.id(), 0, "a", "Text/Plain", 0, m.publisherKey(),
                m.signature()))
                .hasMessageContaining("lower-case");
    }

    @Test
    void overlongMediaTypeIsRejected() {
        String type = "application/" + "x".repeat(Manifest.MAX_MEDIA_TYPE_BYTES - 11);
        assertThatThrownBy(() -> Manifest.sign(EXAMPLE_ID, 0, "a", type, 0, exampleSigner()))
                .hasMessageContaining("at most 127 bytes");
    }

    @Test
    void negativeLengthOrTimeAndWrongKeyLengthsAreRejected() {
        Manifest m = example();
        assertThatThrownBy(() -> new Manifest(m.id(), -1, "a", "text/plain", 0, m.publisherKey(),
                m.signature())).hasMessageContaining("length must be >= 0");
        assertThatThrownBy(() -> new Manifest(m.id(), 0, "a", "text/plain", -1, m.publisherKey(),
                m.signature())).hasMessageContaining("creation time must be >= 0");
        assertThatThrownBy(() -> new Manifest(m.id(), 0, "a", "text/plain", 0, new byte[31],
                m.signature())).hasMessageContaining("publisher key must be 32 bytes");
        assertThatThrownBy(() -> new Manifest(m.id(), 0, "a", "text/plain", 0, m.publisherKey(),
                new byte[65])).hasMessageContaining("signature must be 64 bytes");
    }

    @Test
    void arraysAreCopiedInAndOut() {
        Manifest m = example();
        byte[] sig = m.signature();
        sig[0] ^= 1;
        m.publisherKey()[0] ^= 1;
        assertThat(m.verifySignature()).isTrue();
        assertThat(m.hashCode()).isEqualTo(example().hashCode());
    }

    @Test
    void decodeRejectsMalformedInputWithAManifestException() {
        assertThatThrownBy(() -> ManifestCodec.decode(null)).isInstanceOf(ManifestException.class);
        assertThatThrownBy(() -> ManifestCodec.decode("le".getBytes()))
                .hasMessageContaining("must be a dictionary");
        assertThatThrownBy(() -> ManifestCodec.decode(new byte[601]))
                .hasMessageContaining("exceeds the limit of 600 bytes");
        assertThatThrownBy(() -> ManifestCodec.decode("d1:vi1ee".getBytes()))
                .hasMessageContaining("missing key \"c\"");
    }

    @Test
    void decodeRejectsUnknownKeysAndOtherVersions() {
        byte[] good = ManifestCodec.encode(example());
        String text = new String(good, StandardCharsets.ISO_8859_1);
        byte[] extra = (text.substring(0, text.length() - 1) + "1:zi0ee")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ManifestCodec.decode(extra))
                .hasMessageContaining("unknown key \"z\"");
        byte[] v2 = text.replace("1:vi1e", "1:vi2e")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> ManifestCodec.decode(v2))
                .hasMessageContaining("version 2 is not supported");
    }
}
