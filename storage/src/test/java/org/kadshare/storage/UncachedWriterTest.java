package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.kadshare.storage.StoreFixtures.L;
import static org.kadshare.storage.StoreFixtures.randomBytes;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncachedWriterTest {
    @TempDir
    Path tmp;

    private Path fileOf(int length) throws IOException {
        Path file = tmp.resolve("data");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
        return file;
    }

    private static UncachedWriter direct(Path file) {
        Optional<UncachedWriter> writer = UncachedWriter.open(file, L);
        assumeTrue(writer.isPresent(), "the file system of the temporary directory takes no direct writes");
        return writer.get();
    }

    private static int blockSize(Path file) throws IOException {
        return (int) Files.getFileStore(file).getBlockSize();
    }

    @Test
    void writesTheWholeBlocksAndLeavesTheLastBytesToTheCaller() throws Exception {
        byte[] content = randomBytes(3 * L + 100, 1);
        Path file = fileOf(content.length);
        int whole = content.length / blockSize(file) * blockSize(file);
        try (UncachedWriter writer = direct(file)) {
            ByteBuffer src = ByteBuffer.wrap(content);

            assertThat(writer.writeBlocks(src, 0)).isEqualTo(whole);
            assertThat(src.position()).isEqualTo(whole);
        }
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(onDisk, whole)).isEqualTo(Arrays.copyOf(content, whole));
        assertThat(Arrays.copyOfRange(onDisk, whole, content.length)).containsOnly(0);
    }

    @Test
    void writesMoreThanItsBufferInChunksAtTheGivenPosition() throws Exception {
        byte[] content = randomBytes(UncachedWriter.CHUNK_BYTES * 4 + L, 2);
        Path file = fileOf(L + content.length);
        try (UncachedWriter writer = direct(file)) {
            ByteBuffer src = ByteBuffer.wrap(content, L, content.length - L).slice();

            assertThat(writer.writeBlocks(src, L)).isEqualTo(content.length - L);
            assertThat(src.hasRemaining()).isFalse();
        }
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(Arrays.copyOfRange(onDisk, L, content.length)).isEqualTo(Arrays.copyOfRange(content, L, content.length));
        assertThat(Arrays.copyOf(onDisk, L)).containsOnly(0);
    }

    @Test
    void twoFilesWrittenInTurnOnOneThreadEachGetTheirOwnBytes() throws Exception {
        byte[] first = randomBytes(UncachedWriter.CHUNK_BYTES + L, 4);
        byte[] second = randomBytes(UncachedWriter.CHUNK_BYTES + L, 5);
        Path a = fileOf(first.length);
        Path b = tmp.resolve("other");
        Files.copy(a, b);
        try (UncachedWriter toA = direct(a); UncachedWriter toB = direct(b)) {
            for (int at = 0; at < first.length; at += L) {
                toA.writeBlocks(ByteBuffer.wrap(first, at, L).slice(), at);
                toB.writeBlocks(ByteBuffer.wrap(second, at, L).slice(), at);
            }
        }
        assertThat(Files.readAllBytes(a)).isEqualTo(first);
        assertThat(Files.readAllBytes(b)).isEqualTo(second);
    }

    @Test
    void aFailedWriteLeavesTheSourceWhereItWas() throws Exception {
        byte[] content = randomBytes(2 * L, 3);
        Path file = fileOf(content.length);
        UncachedWriter writer = direct(file);
        writer.close();
        ByteBuffer src = ByteBuffer.wrap(content);

        assertThatThrownBy(() -> writer.writeBlocks(src, 0)).isInstanceOf(IOException.class);
        assertThat(src.position()).isZero();
    }

    @Test
    void aBlockSizeThatDoesNotDivideTheWriteUnitGivesNoWriter() throws Exception {
        Path file = fileOf(L);

        assertThat(UncachedWriter.open(file, 3000, L)).isEmpty();
        assertThat(UncachedWriter.open(file, 2 * L, L)).isEmpty();
    }

    @Test
    void aFileThatIsNotThereGivesNoWriter() {
        assertThat(UncachedWriter.open(tmp.resolve("missing"), L)).isEmpty();
    }
}
