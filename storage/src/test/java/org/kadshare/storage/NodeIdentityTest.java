package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {

    @TempDir
    Path dir;

    private static final byte[] MESSAGE = "hello".getBytes(StandardCharsets.US_ASCII);

    @BeforeEach
    void requirePosixPermissions() {
        assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
    }

    @Test
    void signatureVerifiesWithThePublicKeyAndNotAfterAnyChange() {
        NodeIdentity id = NodeIdentity.generate();
        byte[] sig = id.sign(MESSAGE);
        assertThat(sig).hasSize(64);
        assertThat(id.publicKey()).hasSize(32);
        assertThat(NodeIdentity.verify(id.publicKey(), MESSAGE, sig)).isTrue();

        byte[] otherMessage = MESSAGE.clone();
        otherMessage[0] ^= 1;
        assertThat(NodeIdentity.verify(id.publicKey(), otherMessage, sig)).isFalse();
        byte[] otherSig = sig.clone();
        otherSig[10] ^= 1;
        assertThat(NodeIdentity.verify(id.publicKey(), MESSAGE, otherSig)).isFalse();
        assertThat(NodeIdentity.verify(NodeIdentity.generate().publicKey(), MESSAGE, sig)).isFalse();
    }

    @Test
    void verifyReturnsFalseForMalformedKeysAndSignatures() {
        NodeIdentity id = NodeIdentity.generate();
        byte[] sig = id.sign(MESSAGE);
        assertThat(NodeIdentity.verify(new byte[31], MESSAGE, sig)).isFalse();
        assertThat(NodeIdentity.verify(id.publicKey(), MESSAGE, Arrays.copyOf(sig, 63))).isFalse();
        byte[] notAPoint = new byte[32];
        Arrays.fill(notAPoint, (byte) 0xff);
        assertThat(NodeIdentity.verify(notAPoint, MESSAGE, sig)).isFalse();
        assertThat(NodeIdentity.verify(null, MESSAGE, sig)).isFalse();
    }

    @Test
    void theSameSeedGivesTheSameKeyAndSignatures() {
        byte[] seed = new byte[32];
        seed[0] = 7;
        assertThat(NodeIdentity.fromSeed(seed).publicKey())
                .isEqualTo(NodeIdentity.fromSeed(seed).publicKey());
        assertThat(NodeIdentity.fromSeed(seed).sign(MESSAGE))
                .isEqualTo(NodeIdentity.fromSeed(seed).sign(MESSAGE));
    }

    @Test
    void firstRunCreatesAnOwnerOnlyKeyFileThatReloadsToTheSameKey() throws IOException {
        Path dataDir = dir.resolve("nested/data");
        NodeIdentity created = NodeIdentity.loadOrCreate(dataDir);
        Path file = dataDir.resolve("identity.key");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(Files.size(file)).isEqualTo(41);
        assertThat(Files.readAllBytes(file)).startsWith('K', 'S', 'I', 'D', 1);
        assertThat(Files.list(dataDir)).containsExactly(file);

        NodeIdentity reloaded = NodeIdentity.loadOrCreate(dataDir);
        assertThat(reloaded.publicKey()).isEqualTo(created.publicKey());
        assertThat(NodeIdentity.verify(created.publicKey(), MESSAGE, reloaded.sign(MESSAGE)))
                .isTrue();
    }

    @Test
    void twoDataDirectoriesGetDifferentKeys() throws IOException {
        assertThat(NodeIdentity.loadOrCreate(dir.resolve("a")).publicKey())
                .isNotEqualTo(NodeIdentity.loadOrCreate(dir.resolve("b")).publicKey());
    }

    @Test
    void corruptKeyFileIsRejectedNamingTheFileAndLeftAlone() throws IOException {
        NodeIdentity.loadOrCreate(dir);
        Path file = dir.resolve("identity.key");
        byte[] bytes = Files.readAllBytes(file);
        bytes[10] ^= 0x01;
        Files.write(file, bytes);

        assertThatThrownBy(() -> NodeIdentity.loadOrCreate(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("checksum");
        assertThat(Files.readAllBytes(file)).isEqualTo(bytes);
    }

    @Test
    void truncatedKeyFileIsRejectedNamingTheFile() throws IOException {
        NodeIdentity.loadOrCreate(dir);
        Path file = dir.resolve("identity.key");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, 20));

        assertThatThrownBy(() -> NodeIdentity.loadOrCreate(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("truncated");
        assertThat(Files.size(file)).isEqualTo(20);
    }

    @Test
    void keyFileWithWrongMagicOrVersionIsRejected() throws IOException {
        NodeIdentity.loadOrCreate(dir);
        Path file = dir.resolve("identity.key");
        byte[] good = Files.readAllBytes(file);

        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        Files.write(file, badMagic);
        assertThatThrownBy(() -> NodeIdentity.loadOrCreate(dir)).hasMessageContaining("magic");

        byte[] badVersion = good.clone();
        badVersion[4] = 2;
        Files.write(file, badVersion);
        assertThatThrownBy(() -> NodeIdentity.loadOrCreate(dir)).hasMessageContaining("version 2");
    }

    @Test
    void groupReadableKeyFileIsRefused() throws IOException {
        NodeIdentity.loadOrCreate(dir);
        Path file = dir.resolve("identity.key");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        assertThatThrownBy(() -> NodeIdentity.loadOrCreate(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("group or others")
                .hasMessageContaining("rw-r-----");
    }

    @Test
    void worldReadableKeyFileIsRefused() throws IOException {
        NodeIdentity.loadOrCreate(dir);
        Path file = dir.resolve("identity.key");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));

        assertThatThrownBy(() -> NodeIdentity.loadOrCreate(dir))
                .hasMessageContaining("group or others");
    }

    @Test
    void toStringDoesNotRevealTheSeed() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 0x5a);
        String text = NodeIdentity.fromSeed(seed).toString();
        assertThat(text).doesNotContain("5a5a5a5a");
    }
}
