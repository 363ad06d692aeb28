package org.kadshare.storage.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NativeSha256Test {
    private static final int[] LENGTHS = {0, 1, 55, 56, 64, 65, 16_384, 16_385, NativeSha256.SCRATCH_BYTES - 1,
        NativeSha256.SCRATCH_BYTES, NativeSha256.SCRATCH_BYTES + 1, 3 * NativeSha256.SCRATCH_BYTES + 17, 1 << 20};

    @Test
    void libcryptoLoadsAndPassesItsKnownAnswersOnThisSystem() {
        assertThat(LibCrypto.problem()).isNull();
        assertThat(LibCrypto.available()).isTrue();
    }

    @Test
    void digestsEqualTheJdksAtEveryLengthAroundTheScratchAndEveryWayOfFeeding() throws Exception {
        Random random = new Random(7);
        MessageDigest jdk = MessageDigest.getInstance("SHA-256");
        NativeSha256 lib = new NativeSha256();
        for (int length : LENGTHS) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            byte[] expected = jdk.digest(data);

            lib.update(data);
            assertThat(lib.digest()).as("one array of %d", length).isEqualTo(expected);

            for (int i = 0; i < Math.min(length, 70_000); i++) {
                lib.update(data[i]);
            }
            lib.update(data, Math.min(length, 70_000), length - Math.min(length, 70_000));
            assertThat(lib.digest()).as("byte by byte, %d", length).isEqualTo(expected);

            int at = 0;
            while (at < length) {
                int n = Math.min(length - at, 1 + random.nextInt(40_000));
                lib.update(data, at, n);
                at += n;
            }
            assertThat(lib.digest()).as("random pieces of %d", length).isEqualTo(expected);

            ByteBuffer readOnly = ByteBuffer.wrap(data).asReadOnlyBuffer();
            lib.update(readOnly);
            assertThat(readOnly.hasRemaining()).isFalse();
            assertThat(lib.digest()).as("a read-only buffer of %d", length).isEqualTo(expected);

            ByteBuffer direct = ByteBuffer.allocateDirect(length + 10);
            direct.position(5);
            direct.put(data);
            direct.position(5).limit(5 + length);
            lib.update(direct);
            assertThat(direct.position()).isEqualTo(5 + length);
            assertThat(lib.digest()).as("a direct buffer of %d", length).isEqualTo(expected);
        }
    }

    @Test
    void aTreesHashesAreTheSameWithEitherDigest() {
        byte[] leaf = new byte[NodeHashing.LEAF_SIZE_BYTES];
        new Random(3).nextBytes(leaf);
        MessageDigest jdk = NodeHashing.newDigest(false);
        MessageDigest lib = NodeHashing.newDigest(true);
        assertThat(lib).isInstanceOf(NativeSha256.class);
        assertThat(jdk).isNotInstanceOf(NativeSha256.class);
        byte[] a = new byte[64];
        byte[] b = new byte[64];
        NodeHashing.leafHash(jdk, ByteBuffer.wrap(leaf).asReadOnlyBuffer(), a, 0);
        NodeHashing.leafHash(lib, ByteBuffer.wrap(leaf).asReadOnlyBuffer(), b, 0);
        NodeHashing.nodeHash(jdk, a, 0, a, 0, a, 32);
        NodeHashing.nodeHash(lib, b, 0, b, 0, b, 32);
        assertThat(b).isEqualTo(a);
        assertThat(NodeHashing.idHash(lib, 12345, b)).isEqualTo(NodeHashing.idHash(jdk, 12345, a));
    }

    @Test
    void resetDropsWhatWasFedAndTheDigestStartsAgain() throws Exception {
        NativeSha256 lib = new NativeSha256();
        lib.update(new byte[100_000]);
        lib.reset();
        lib.update("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(lib.digest()).isEqualTo(MessageDigest.getInstance("SHA-256")
                .digest("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    @Test
    void aDigestIntoTooSmallARoomIsRefusedAndOneThatFitsIsWrittenAtItsOffset() throws Exception {
        NativeSha256 lib = new NativeSha256();
        assertThatThrownBy(() -> lib.digest(new byte[40], 0, 31)).isInstanceOf(DigestException.class);
        assertThatThrownBy(() -> lib.digest(new byte[40], 9, 32)).isInstanceOf(IllegalArgumentException.class);
        byte[] out = new byte[40];
        lib.update(new byte[] {1, 2, 3});
        assertThat(lib.digest(out, 8, 32)).isEqualTo(32);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3});
        assertThat(java.util.Arrays.copyOfRange(out, 8, 40)).isEqualTo(expected);
        assertThat(java.util.Arrays.copyOfRange(out, 0, 8)).containsOnly(0);
    }

    @Test
    void anUpdateOutsideItsArrayIsRefusedAndChangesNothing() throws Exception {
        NativeSha256 lib = new NativeSha256();
        lib.update(new byte[] {1, 2, 3});
        assertThatThrownBy(() -> lib.update(new byte[10], 5, 6)).isInstanceOf(IllegalArgumentException.class);
        assertThat(lib.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3}));
    }
}
