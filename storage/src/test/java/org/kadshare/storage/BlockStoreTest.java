package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kadshare.storage.StoreFixtures.L;
import static org.kadshare.storage.StoreFixtures.open;
import static org.kadshare.storage.StoreFixtures.randomBytes;
import static org.kadshare.storage.StoreFixtures.writeFile;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockStoreTest {
    private static final StoreConfig CONFIG = StoreConfig.defaults();

    @TempDir
    Path tmp;

    private Path storeDir() {
        return tmp.resolve("store");
    }

    @Test
    void fileAddedByReferenceServesEverySpanVerifiedAgainstItsId() throws Exception {
        byte[] content = randomBytes(5 * L + 100, 1);
        Path file = writeFile(tmp, "a.bin", content);
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            StoredFile stored = store.add(file, AddMode.REFERENCE);
            assertThat(stored.id()).isEqualTo(StoreFixtures.treeOf(content).contentId());
            assertThat(stored.dataPath()).isEqualTo(file.toAbsolutePath());
            int treeHeight = MerkleTree.treeHeight(content.length);
            for (int h = 0; h <= treeHeight; h++) {
                for (long j = 0; j <= (MerkleTree.leafCount(content.length) - 1) >>> h; j++) {
                    VerifiedSpan span = store.readSpan(stored.id(), h, j);
                    assertThat(SpanVerifier.verifyData(stored.id(), span.proof(), span.data())).isTrue();
                    int from = (int) span.proof().offsetBytes();
                    assertThat(span.data()).isEqualTo(Arrays.copyOfRange(content, from, from + span.data().length));
                }
            }
        }
    }

    @Test
    void copyModeServesAnIndependentCopyWhenTheSourceChanges() throws Exception {
        byte[] content = randomBytes(3 * L, 2);
        Path file = writeFile(tmp, "a.bin", content);
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            StoredFile stored = store.add(file, AddMode.COPY);
            assertThat(stored.dataPath()).startsWith(store.directory());
            Files.write(file, randomBytes(3 * L, 99));
            VerifiedSpan span = store.readSpan(stored.id(), 2, 0);
            assertThat(span.data()).isEqualTo(content);
        }
    }

    @Test
    void sameSizeModificationWithRestoredMtimeIsNeverServed() throws Exception {
        byte[] content = randomBytes(4 * L, 3);
        Path file = writeFile(tmp, "a.bin", content);
        ContentId id;
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            id = store.add(file, AddMode.REFERENCE).id();
            FileTime mtime = Files.getLastModifiedTime(file);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(3L * L + 7);
                raf.write(content[3 * L + 7] ^ 0x40);
            }
            Files.setLastModifiedTime(file, mtime);

            assertThat(store.readSpan(id, 0, 0).data()).isEqualTo(Arrays.copyOf(content, L));
            assertThatThrownBy(() -> store.readSpan(id, 1, 1))
                    .isInstanceOf(ContentChangedException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("leaf 3");
            assertThat(store.get(id).orElseThrow().stale()).isTrue();
            assertThatThrownBy(() -> store.readSpan(id, 0, 0)).isInstanceOf(ContentChangedException.class);
        }
        try (BlockStore reopened = open(storeDir(), CONFIG, new FaultyDisk())) {
            assertThat(reopened.get(id).orElseThrow().stale()).isTrue();
            assertThatThrownBy(() -> reopened.readSpan(id, 0, 0)).isInstanceOf(ContentChangedException.class);
        }
    }

    @Test
    void resizedSourceIsCaughtByTheSnapshotBeforeReading() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(2 * L, 4));
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            Files.write(file, randomBytes(2 * L + 1, 4));
            assertThatThrownBy(() -> store.readSpan(id, 0, 0))
                    .isInstanceOf(ContentChangedException.class)
                    .hasMessageContaining("size was " + 2 * L);
        }
    }

    @Test
    void deletedSourceIsDetectedAndMarkedStale() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(L + 1, 5));
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            Files.delete(file);
            assertThatThrownBy(() -> store.readSpan(id, 0, 1))
                    .isInstanceOf(ContentChangedException.class)
                    .hasMessageContaining("deleted");
            assertThat(store.get(id).orElseThrow().stale()).isTrue();
        }
    }

    @Test
    void checkAllMarksEditedAndDeletedFilesStaleAndLeavesTheOthersAlone() throws Exception {
        Path edited = writeFile(tmp, "edited.bin", randomBytes(2 * L, 11));
        Path deleted = writeFile(tmp, "deleted.bin", randomBytes(L, 12));
        Path kept = writeFile(tmp, "kept.bin", randomBytes(L + 3, 13));
        Path copied = writeFile(tmp, "copied.bin", randomBytes(L + 4, 14));
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            ContentId editedId = store.add(edited, AddMode.REFERENCE).id();
            ContentId deletedId = store.add(deleted, AddMode.REFERENCE).id();
            ContentId keptId = store.add(kept, AddMode.REFERENCE).id();
            ContentId copiedId = store.add(copied, AddMode.COPY).id();
            java.util.List<ContentId> heard = new java.util.ArrayList<>();
            store.onStale(heard::add);
            Files.write(edited, randomBytes(2 * L + 1, 15));
            Files.delete(deleted);
            Files.delete(copied);

            assertThat(store.checkAll()).containsExactlyInAnyOrder(editedId, deletedId);
            assertThat(heard).containsExactlyInAnyOrder(editedId, deletedId);
            assertThat(store.get(editedId).orElseThrow().stale()).isTrue();
            assertThat(store.get(deletedId).orElseThrow().stale()).isTrue();
            assertThat(store.get(keptId).orElseThrow().stale()).isFalse();
            assertThat(store.get(copiedId).orElseThrow().stale()).as("the store's copy is intact").isFalse();
            assertThat(store.checkAll()).as("found once").isEmpty();
            assertThat(heard).hasSize(2);
        }
    }

    @Test
    void aRefusedReadTellsTheStaleListenerOnce() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(2 * L, 16));
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            java.util.List<ContentId> heard = new java.util.ArrayList<>();
            store.onStale(heard::add);
            Files.write(file, randomBytes(2 * L + 1, 17));
            assertThatThrownBy(() -> store.serveSpan(id, 0, 0)).isInstanceOf(ContentChangedException.class);
            assertThatThrownBy(() -> store.serveSpan(id, 0, 1)).isInstanceOf(ContentChangedException.class);
            assertThat(heard).containsExactly(id);
        }
    }

    @Test
    void removeForgetsTheEntryAndDeletesOnlyTheStoresCopy() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(L, 6));
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            StoredFile copy = store.add(file, AddMode.COPY);
            assertThat(store.remove(copy.id())).isTrue();
            assertThat(store.get(copy.id())).isEmpty();
            assertThat(copy.dataPath()).doesNotExist();
            assertThat(file).exists();
            assertThat(store.remove(copy.id())).isFalse();
            assertThatThrownBy(() -> store.readSpan(copy.id(), 0, 0)).isInstanceOf(NoSuchElementException.class);
        }
        try (BlockStore reopened = open(storeDir(), CONFIG, new FaultyDisk())) {
            assertThat(reopened.list()).isEmpty();
        }
    }

    @Test
    void entriesPersistAcrossReopen() throws Exception {
        byte[] a = randomBytes(2 * L + 3, 7);
        Path fileA = writeFile(tmp, "a.bin", a);
        Path fileB = writeFile(tmp, "b.bin", randomBytes(10, 8));
        StoredFile storedA;
        StoredFile storedB;
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            storedA = store.add(fileA, AddMode.REFERENCE);
            storedB = store.add(fileB, AddMode.COPY);
        }
        try (BlockStore reopened = open(storeDir(), CONFIG, new FaultyDisk())) {
            assertThat(reopened.list()).containsExactlyInAnyOrder(storedA, storedB);
            assertThat(reopened.readSpan(storedA.id(), 2, 0).data()).isEqualTo(a);
        }
    }

    @Test
    void corruptEntryRecordIsSkippedOnLoad() throws Exception {
        Path fileA = writeFile(tmp, "a.bin", randomBytes(100, 9));
        Path fileB = writeFile(tmp, "b.bin", randomBytes(200, 10));
        StoredFile storedA;
        StoredFile storedB;
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            storedA = store.add(fileA, AddMode.REFERENCE);
            storedB = store.add(fileB, AddMode.REFERENCE);
        }
        Path record = storeDir().resolve("entries").resolve(storedA.id().toHex() + ".entry");
        byte[] bytes = Files.readAllBytes(record);
        bytes[bytes.length / 2] ^= 1;
        Files.write(record, bytes);
        try (BlockStore reopened = open(storeDir(), CONFIG, new FaultyDisk())) {
            assertThat(reopened.list()).containsExactly(storedB);
        }
    }

    @Test
    void damagedLeafLayerIsNeverUsedToServe() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(3 * L, 11));
        ContentId id;
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            id = store.add(file, AddMode.REFERENCE).id();
        }
        Path leaves = storeDir().resolve("leaves").resolve(id.toHex() + ".leaves");
        byte[] bytes = Files.readAllBytes(leaves);
        bytes[bytes.length - 10] ^= 1;
        Files.write(leaves, bytes);
        try (BlockStore reopened = open(storeDir(), CONFIG, new FaultyDisk())) {
            assertThatThrownBy(() -> reopened.readSpan(id, 0, 0)).hasMessageContaining(leaves.toString());
        }
    }

    @Test
    void fullDiskWhileCopyingInGivesStorageFullAndLeavesNothingBehind() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(3 * L, 12));
        FaultyDisk disk = new FaultyDisk();
        try (BlockStore store = open(storeDir(), CONFIG, disk)) {
            disk.failWritesTo(path -> path.getParent().getFileName().toString().equals("data"));
            assertThatThrownBy(() -> store.add(file, AddMode.COPY))
                    .isInstanceOf(StorageFullException.class)
                    .hasMessageContaining(file.toAbsolutePath().toString())
                    .hasMessageContaining("no space left on device");
            assertThat(storeDir().resolve("data")).isEmptyDirectory();
            assertThat(store.list()).isEmpty();

            disk.failWritesTo(path -> path.getFileName().toString().contains(".entry"));
            assertThatThrownBy(() -> store.add(file, AddMode.REFERENCE)).isInstanceOf(StorageFullException.class);
            assertThat(storeDir().resolve("entries")).isEmptyDirectory();
            assertThat(store.list()).isEmpty();
        }
    }

    @Test
    void hotCacheStaysWithinItsWeightAndHitsOnRepeatedReads() throws Exception {
        StoreConfig small = CONFIG.withCacheSizeBytes(4L * L);
        Path file = writeFile(tmp, "a.bin", randomBytes(16 * L, 13));
        try (BlockStore store = open(storeDir(), small, new FaultyDisk())) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            for (int round = 0; round < 2; round++) {
                for (long leaf = 0; leaf < 16; leaf++) {
                    store.readSpan(id, 0, leaf);
                }
            }
            store.cache().cleanUp();
            assertThat(store.cacheStats().weightBytes()).isLessThanOrEqualTo(4L * L);
            for (int i = 0; i < 5; i++) {
                store.readSpan(id, 0, 0);
            }
            HotCacheStats stats = store.cacheStats();
            assertThat(stats.hitCount()).isGreaterThanOrEqualTo(4);
            assertThat(stats.maximumWeightBytes()).isEqualTo(4L * L);
        }
    }

    @Test
    void spansLargerThanTheConfiguredLimitAreRefused() throws Exception {
        StoreConfig config = new StoreConfig(CONFIG.cacheSizeBytes(), 2 * L, 1, CONFIG.reverifyAfterMillis(), false, true);
        Path file = writeFile(tmp, "a.bin", randomBytes(4 * L, 14));
        try (BlockStore store = open(storeDir(), config, new FaultyDisk())) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            assertThat(store.readSpan(id, 1, 1).data()).hasSize(2 * L);
            assertThatThrownBy(() -> store.readSpan(id, 2, 0)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void treeOfAHeldFileIsItsVerifiedTreeAndEmptyForUnknownContent() throws Exception {
        byte[] content = randomBytes(3 * L + 9, 5);
        Path file = writeFile(tmp, "t.bin", content);
        try (BlockStore store = open(storeDir(), CONFIG, new FaultyDisk())) {
            StoredFile stored = store.add(file, AddMode.COPY);
            MerkleTree expected = StoreFixtures.treeOf(content);
            assertThat(store.tree(stored.id())).hasValueSatisfying(tree -> {
                assertThat(tree.contentId()).isEqualTo(stored.id());
                assertThat(tree.leafHashes(0, 4)).isEqualTo(expected.leafHashes(0, 4));
            });
            assertThat(store.tree(StoreFixtures.treeOf(randomBytes(10, 6)).contentId())).isEmpty();
        }
        try (BlockStore reopened = open(storeDir(), CONFIG, new FaultyDisk())) {
            assertThat(reopened.tree(StoreFixtures.treeOf(content).contentId()).orElseThrow().lengthBytes())
                    .isEqualTo(content.length);
        }
    }
}
