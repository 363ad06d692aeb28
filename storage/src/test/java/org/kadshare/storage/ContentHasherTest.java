package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHasherTest {
    @TempDir
    Path dir;

    @Test
    void zeroByteFileHasOneEmptyLeafAndThePublishedId() throws IOException {
        Path file = Files.createFile(dir.resolve("empty"));
        try (ContentHasher hasher = new ContentHasher(2)) {
            MerkleTree tree = hasher.hash(file);
            assertThat(tree.lengthBytes()).isZero();
            assertThat(tree.leafCount()).isEqualTo(1);
            assertThat(tree.height()).isZero();
            assertThat(tree.contentId().toHex()).isEqualTo(ContentIdVectorTest.EMPTY_ID);
            SpanProof proof = tree.proof(0, 0);
            assertThat(proof.siblingHashes()).isEmpty();
            assertThat(SpanVerifier.verifyData(tree.contentId(), proof, new byte[0])).isTrue();
            assertThat(SpanVerifier.verifyData(tree.contentId(), proof, new byte[1])).isFalse();
        }
    }

    @Test
    void missingFileFailsWithNoSuchFile() {
        try (ContentHasher hasher = new ContentHasher(2)) {
            assertThatThrownBy(() -> hasher.hash(dir.resolve("absent")))
                    .isInstanceOf(NoSuchFileException.class).hasMessageContaining("absent");
        }
    }

    @Test
    void directoryFailsWithAFileSystemExceptionNamingIt() {
        try (ContentHasher hasher = new ContentHasher(2)) {
            assertThatThrownBy(() -> hasher.hash(dir, (i, h) -> { }))
                    .isInstanceOf(FileSystemException.class).hasMessageContaining("directory");
        }
    }

    @Test
    void exceptionFromTheSinkReachesTheCaller() throws IOException {
        Path file = dir.resolve("data");
        Files.write(file, Contents.random(70 * Contents.L, 1));
        try (ContentHasher hasher = new ContentHasher(3)) {
            assertThatThrownBy(() -> hasher.hash(file, (i, h) -> {
                if (i == 65) {
                    throw new IOException("sink full at leaf 65");
                }
            })).isInstanceOf(IOException.class).hasMessage("sink full at leaf 65");
        }
    }

    @Test
    void closedHasherRefusesWork() {
        ContentHasher hasher = new ContentHasher(2);
        hasher.close();
        assertThatThrownBy(() -> hasher.hash(new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void fileOverFourGibibytesHashesToTheIdOfItsZeroBytes() throws IOException {
        long length = (4L << 30) + 3;
        Path file = dir.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(length);
        }
        try (ContentHasher hasher = new ContentHasher()) {
            MerkleTree tree = hasher.hash(file);
            assertThat(tree.lengthBytes()).isEqualTo(length);
            assertThat(tree.leafCount()).isEqualTo((1L << 18) + 1);
            assertThat(tree.height()).isEqualTo(19);
            assertThat(tree.contentId().toBytes()).isEqualTo(ZeroFileReference.id(length));
            SpanProof last = tree.proof(0, tree.leafCount() - 1);
            assertThat(last.offsetBytes()).isEqualTo(4L << 30);
            assertThat(SpanVerifier.verifyData(tree.contentId(), last, new byte[3])).isTrue();
            assertThat(SpanVerifier.verifyData(tree.contentId(), last, new byte[] {0, 0, 1})).isFalse();
        } finally {
            Files.delete(file);
        }
    }
}
