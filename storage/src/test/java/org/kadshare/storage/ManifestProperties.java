package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ManifestProperties {

    private static final NodeIdentity SIGNER = ManifestTest.exampleSigner();

    @Property(tries = 300)
    void flippingAnyByteOfAnEncodedManifestMakesDecodeFail(
            @ForAll @IntRange(min = 1, max = 255) int name1, @ForAll @IntRange(max = 1_000_000) int position,
            @ForAll @IntRange(min = 1, max = 255) int xor) {
        Manifest m = Manifest.sign(ManifestTest.EXAMPLE_ID, name1, "f".repeat(name1 % 40 + 1),
                "text/plain", name1, SIGNER);
        byte[] tampered = ManifestCodec.encode(m);
        int at = position % tampered.length;
        tampered[at] ^= (byte) xor;
        assertThatThrownBy(() -> ManifestCodec.decode(tampered))
                .as("byte %d xor %d", at, xor)
                .isInstanceOf(ManifestException.class);
    }

    @Property(tries = 200)
    void validManifestsRoundTrip(@ForAll @IntRange(min = 1, max = 200) int nameLength,
            @ForAll long length, @ForAll long created) throws ManifestException {
        Manifest m = Manifest.sign(ManifestTest.EXAMPLE_ID, Math.abs(length % Long.MAX_VALUE),
                "x".repeat(nameLength), "application/octet-stream",
                Math.abs(created % Long.MAX_VALUE), SIGNER);
        assertThat(ManifestCodec.decode(ManifestCodec.encode(m))).isEqualTo(m);
    }
}
