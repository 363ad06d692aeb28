package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kadshare.storage.StoreFixtures.L;
import static org.kadshare.storage.StoreFixtures.leafLayer;
import static org.kadshare.storage.StoreFixtures.open;
import static org.kadshare.storage.StoreFixtures.randomBytes;
import static org.kadshare.storage.StoreFixtures.treeOf;

import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartialDownloadTest {
    private static final int LEAVES = 10;
    private static final byte[] CONTENT = randomBytes(LEAVES * L - 500, 42);
    private static final MerkleTree TREE = treeOf(CONTENT);
    private static final ContentId ID = TREE.contentId();

    @TempDir
    Path tmp;

    private Path storeDir() {
        return tmp.resolve("store");
    }

    private Path partialDir() {
        return storeDir().resolve("partial").resolve(ID.toHex());
    }

    private static byte[] leaf(long leaf) {
        int from = (int) leaf * L;
        return Arrays.copyOfRange(CONTENT, from, Math.min(CONTENT.length, from + L));
    }

    private static StoreConfig flushEvery(int spans) {
        return StoreConfig.defaults().withStateFlushEverySpans(spans);
    }

    @Test
    void withDirectWritesOffEveryLeafGoesThroughThePageCacheAndTheFileIsWhole() throws Exception {
        try (BlockStore store = open(storeDir(), flushEvery(100).withDirectWrites(false), new FaultyDisk())) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            assertThat(partial.writesAroundThePageCache()).isFalse();
            assertThat(partial.writeSpan(2, 0, Arrays.copyOfRange(CONTENT, 0, 4 * L))).isEqualTo(4);
            assertThat(partial.writeSpan(2, 1, Arrays.copyOfRange(CONTENT, 4 * L, 8 * L))).isEqualTo(4);
            assertThat(partial.writeSpan(1, 4, Arrays.copyOfRange(CONTENT, 8 * L, CONTENT.length))).isEqualTo(2);
            Path destination = tmp.resolve("buffered.bin");
            partial.complete(destination, false);
            assertThat(Files.readAllBytes(destination)).isEqualTo(CONTENT);
        }
        Path probe = Files.write(tmp.resolve("probe"), new byte[L]);
        boolean directHere;
        try (var writer = UncachedWriter.open(probe, L).orElse(null)) {
            directHere = writer != null;
        }
        try (BlockStore store = open(tmp.resolve("store-direct"), flushEvery(100), new FaultyDisk())) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            assertThat(partial.writesAroundThePageCache()).as("on by default where the file system takes it")
                    .isEqualTo(directHere);
            partial.close();
        }
    }

    @Test
    void aSpanGoesToDiskInOneWritePerRunOfLeavesNotHeldYet() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        try (BlockStore store = open(storeDir(), flushEvery(100), disk)) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            assertThat(partial.writeSpan(0, 5, leaf(5))).isEqualTo(1);

            // leaves 0-3: none held, one write
            assertThat(partial.writeSpan(2, 0, Arrays.copyOfRange(CONTENT, 0, 4 * L))).isEqualTo(4);
            assertThat(disk.writesTo("data")).isEqualTo(2);
            // leaves 4-7 with 5 held: leaf 4, then leaves 6-7
            assertThat(partial.writeSpan(2, 1, Arrays.copyOfRange(CONTENT, 4 * L, 8 * L))).isEqualTo(3);
            assertThat(disk.writesTo("data")).isEqualTo(4);
            // leaves 8-9, the last one short
            assertThat(partial.writeSpan(1, 4, Arrays.copyOfRange(CONTENT, 8 * L, CONTENT.length))).isEqualTo(2);
            assertThat(disk.writesTo("data")).isEqualTo(5);

            Path destination = tmp.resolve("out.bin");
            partial.complete(destination, false);
            assertThat(Files.readAllBytes(destination)).isEqualTo(CONTENT);
        }
    }

    @Test
    void resumeAfterCrashWritesOnlyTheMissingLeavesAndCompletesByteIdentical() throws Exception {
        BlockStore crashed = open(storeDir(), flushEvery(3), new FaultyDisk());
        PartialDownload first = crashed.startDownload(ID, CONTENT.length, leafLayer(TREE));
        for (long leaf = 0; leaf < 5; leaf++) {
            first.writeSpan(0, leaf, leaf(leaf));
        }
        // crash: neither the partial nor the store is closed; leaves 3 and 4 were never recorded

        FaultyDisk disk = new FaultyDisk();
        try (BlockStore store = open(storeDir(), flushEvery(3), disk)) {
            PartialDownload resumed = store.resumeDownload(ID).orElseThrow();
            List<Long> missing = new ArrayList<>();
            for (long m = resumed.nextMissingLeaf(0); m >= 0; m = resumed.nextMissingLeaf(m + 1)) {
                missing.add(m);
            }
            assertThat(missing).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(resumed.bytesDone()).isEqualTo(3L * L);
            for (long leaf : missing) {
                assertThat(resumed.writeSpan(0, leaf, leaf(leaf))).isEqualTo(1);
            }
            assertThat(disk.writesTo("data")).isEqualTo(missing.size());
            assertThat(resumed.bytesDone()).isEqualTo(CONTENT.length);

            Path destination = tmp.resolve("out.bin");
            StoredFile stored = resumed.complete(destination, false);
            assertThat(Files.readAllBytes(destination)).isEqualTo(CONTENT);
            assertThat(stored.id()).isEqualTo(ID);
            assertThat(stored.dataPath()).isEqualTo(destination.toAbsolutePath());
            assertThat(partialDir()).doesNotExist();
            assertThat(store.readSpan(ID, 0, 9).data()).isEqualTo(leaf(9));
        }
    }

    /**
     * Regression: a download of fewer spans than the flush interval recorded nothing before it
     * ended, so a node killed in the middle of it fetched everything again after a restart. The
     * download driver now saves a second after a span is written ({@code saveStateIfUnsaved}).
     */
    @Test
    void spansWrittenInABurstAreRecordedByTheDeferredSaveAndAClosedDownloadIsLeftAlone() throws Exception {
        BlockStore crashed = open(storeDir(), flushEvery(1_000), new FaultyDisk());
        PartialDownload first = crashed.startDownload(ID, CONTENT.length, leafLayer(TREE));
        for (long leaf = 0; leaf < 3; leaf++) {
            first.writeSpan(0, leaf, leaf(leaf));
        }
        first.saveStateIfUnsaved();
        // crash: neither the partial nor the store is closed

        try (BlockStore store = open(storeDir(), flushEvery(1_000), new FaultyDisk())) {
            PartialDownload resumed = store.resumeDownload(ID).orElseThrow();
            assertThat(resumed.nextMissingLeaf(0)).isEqualTo(3L);
            resumed.close();
            resumed.saveStateIfUnsaved(); // no error, nothing written to a closed download
        }
    }

    /**
     * The leaf layer is written without waiting for the disk (it is on a download's way to its
     * first span): a crash that empties or damages it costs the layer, fetched again, never a
     * verified leaf, and nothing it no longer proves is served.
     */
    @Test
    void aLeafLayerACrashDamagedIsFetchedAgainAndTheLeavesVerifiedBeforeStayHeld() throws Exception {
        BlockStore crashed = open(storeDir(), flushEvery(1), new FaultyDisk());
        PartialDownload first = crashed.startDownload(ID, CONTENT.length, leafLayer(TREE));
        for (long leaf = 0; leaf < 4; leaf++) {
            first.writeSpan(0, leaf, leaf(leaf));
        }
        // crash before the layer reached the disk: it is empty, or half of it is there
        for (int damage = 0; damage < 2; damage++) {
            Path layer = partialDir().resolve("leaves");
            byte[] bytes = Files.readAllBytes(layer);
            Files.write(layer, damage == 0 ? new byte[0] : Arrays.copyOf(bytes, bytes.length / 2));
            try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
                assertThat(store.resumeDownload(ID)).as("no layer that proves anything").isEmpty();
                PartialDownload again = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
                assertThat(again.heldLeafCount()).isEqualTo(4);
                assertThat(again.nextMissingLeaf(0)).isEqualTo(4L);
                assertThat(store.resumeDownload(ID)).as("the layer is whole again").isPresent();
                again.close();
            }
        }
    }

    @Test
    void aStateRecordLeftWithoutItsDataFileHoldsNothing() throws Exception {
        // a crash after complete() moved the data to its destination, before the directory went
        BlockStore crashed = open(storeDir(), flushEvery(1), new FaultyDisk());
        PartialDownload partial = crashed.startDownload(ID, CONTENT.length, leafLayer(TREE));
        for (long leaf = 0; leaf < LEAVES; leaf++) {
            partial.writeSpan(0, leaf, leaf(leaf));
        }
        Files.move(partialDir().resolve("data"), tmp.resolve("published.bin"));

        try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
            PartialDownload resumed = store.resumeDownload(ID).orElseThrow();
            assertThat(resumed.heldLeafCount()).isZero();
            assertThat(resumed.isComplete()).isFalse();
            for (long leaf = 0; leaf < LEAVES; leaf++) {
                assertThat(resumed.writeSpan(0, leaf, leaf(leaf))).isEqualTo(1);
            }
            Path destination = tmp.resolve("again.bin");
            resumed.complete(destination, false);
            assertThat(Files.readAllBytes(destination)).isEqualTo(CONTENT);
        }
    }

    @Test
    void crashBetweenDataWriteAndStateWriteLeavesThoseLeavesMissing() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        BlockStore crashed = open(storeDir(), flushEvery(1), disk);
        PartialDownload partial = crashed.startDownload(ID, CONTENT.length, leafLayer(TREE));
        partial.writeSpan(0, 0, leaf(0));
        disk.failWritesTo(path -> path.getFileName().toString().startsWith("state"));
        assertThatThrownBy(() -> partial.writeSpan(0, 1, leaf(1))).isInstanceOf(StorageFullException.class);

        try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
            PartialDownload resumed = store.resumeDownload(ID).orElseThrow();
            assertThat(resumed.isHeld(0)).isTrue();
            assertThat(resumed.isHeld(1)).isFalse();
            assertThat(resumed.heldLeafCount()).isEqualTo(1);
        }
    }

    @Test
    void corruptOrTruncatedStateRecordIsDiscardedAndHeldLeavesRecoveredByReverification() throws Exception {
        try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            for (long leaf : new long[] {0, 2, 9}) {
                partial.writeSpan(0, leaf, leaf(leaf));
            }
        }
        Path state = partialDir().resolve("state");
        byte[] good = Files.readAllBytes(state);
        byte[] flipped = good.clone();
        flipped[flipped.length - 5] ^= 0x01;
        for (byte[] damaged : List.of(flipped, Arrays.copyOf(good, 20), new byte[0])) {
            Files.write(state, damaged);
            try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
                PartialDownload resumed = store.resumeDownload(ID).orElseThrow();
                assertThat(resumed.heldBitfield()).isEqualTo(new byte[] {(byte) 0xa0, 0x40});
            }
        }
    }

    @Test
    void stateRecordOfOtherContentIsNeverTrusted() throws Exception {
        byte[] other = randomBytes(LEAVES * L - 500, 7);
        MerkleTree otherTree = treeOf(other);
        try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
            store.startDownload(ID, CONTENT.length, leafLayer(TREE)).writeSpan(0, 1, leaf(1));
            PartialDownload second = store.startDownload(otherTree.contentId(), other.length, leafLayer(otherTree));
            for (long leaf = 0; leaf < LEAVES; leaf++) {
                int from = (int) leaf * L;
                second.writeSpan(0, leaf, Arrays.copyOfRange(other, from, Math.min(other.length, from + L)));
            }
        }
        Path otherState = storeDir().resolve("partial").resolve(otherTree.contentId().toHex()).resolve("state");
        Files.copy(otherState, partialDir().resolve("state"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
            PartialDownload resumed = store.resumeDownload(ID).orElseThrow();
            assertThat(resumed.heldLeafCount()).isEqualTo(1);
            assertThat(resumed.isHeld(1)).isTrue();
        }
    }

    @Test
    void badSpansAreRejectedAndNothingIsWritten() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        try (BlockStore store = open(storeDir(), flushEvery(1), disk)) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            byte[] flipped = leaf(3);
            flipped[100] ^= 0x10;
            byte[] twoLeaves = Arrays.copyOfRange(CONTENT, 2 * L, 4 * L);
            byte[] swapped = new byte[2 * L];
            System.arraycopy(twoLeaves, L, swapped, 0, L);
            System.arraycopy(twoLeaves, 0, swapped, L, L);

            assertThatThrownBy(() -> partial.writeSpan(0, 3, flipped))
                    .isInstanceOf(SpanRejectedException.class).hasMessageContaining("leaf 3");
            assertThatThrownBy(() -> partial.writeSpan(0, 3, Arrays.copyOf(leaf(3), L - 1)))
                    .isInstanceOf(SpanRejectedException.class).hasMessageContaining("got " + (L - 1));
            assertThatThrownBy(() -> partial.writeSpan(0, 3, leaf(4)))
                    .isInstanceOf(SpanRejectedException.class);
            assertThatThrownBy(() -> partial.writeSpan(1, 1, swapped))
                    .isInstanceOf(SpanRejectedException.class);
            assertThatThrownBy(() -> partial.writeSpan(0, LEAVES, new byte[0]))
                    .isInstanceOf(SpanRejectedException.class);

            assertThat(disk.writesTo("data")).isZero();
            assertThat(partial.heldLeafCount()).isZero();
            byte[] onDisk = Files.readAllBytes(partialDir().resolve("data"));
            assertThat(onDisk).containsOnly(0);
        }
    }

    @Test
    void leafLayerThatDoesNotHashToTheIdIsRejected() throws Exception {
        byte[] layer = leafLayer(TREE);
        layer[40] ^= 1;
        try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
            assertThatThrownBy(() -> store.startDownload(ID, CONTENT.length, layer))
                    .isInstanceOf(LeafLayerRejectedException.class).hasMessageContaining(ID.toHex());
            assertThatThrownBy(() -> store.startDownload(ID, CONTENT.length + 1, leafLayer(TREE)))
                    .isInstanceOf(LeafLayerRejectedException.class);
            assertThat(store.partialDownloads()).isEmpty();
        }
    }

    @Test
    void completionWithoutTheRereadPublishesTheVerifiedLeavesWithoutHashingTheFileAgain() throws Exception {
        AtomicInteger wholeFileHashes = new AtomicInteger();
        ContentHasher hasher = new ContentHasher(1);
        ContentHashing counting = (file, sink) -> {
            wholeFileHashes.incrementAndGet();
            return hasher.hash(file, sink);
        };
        try (BlockStore store = BlockStore.open(storeDir(), flushEvery(4), counting, new FaultyDisk())) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            for (long leaf = 0; leaf < LEAVES; leaf++) {
                partial.writeSpan(0, leaf, leaf(leaf));
            }
            Path destination = tmp.resolve("out.bin");
            partial.complete(destination, false);
            assertThat(Files.readAllBytes(destination)).isEqualTo(CONTENT);
            assertThat(wholeFileHashes).hasValue(0);
            assertThat(store.get(ID).orElseThrow().dataPath()).isEqualTo(destination.toAbsolutePath());
        } finally {
            hasher.close();
        }
    }

    @Test
    void completionWithTheRereadRefusesWhenTheWholeFileCheckFailsAndNothingAppears() throws Exception {
        try (BlockStore store = open(storeDir(), flushEvery(4).withRereadOnComplete(true), new FaultyDisk())) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            for (long leaf = 0; leaf < LEAVES; leaf++) {
                partial.writeSpan(0, leaf, leaf(leaf));
            }
            try (RandomAccessFile raf = new RandomAccessFile(partialDir().resolve("data").toFile(), "rw")) {
                raf.seek(6L * L + 10);
                raf.write(CONTENT[6 * L + 10] ^ 0x01);
            }
            Path destination = tmp.resolve("out.bin");
            assertThatThrownBy(() -> partial.complete(destination, false))
                    .isInstanceOf(ContentMismatchException.class).hasMessageContaining(ID.toHex());
            assertThat(destination).doesNotExist();
            assertThat(partial.nextMissingLeaf(0)).isEqualTo(6);
            assertThat(partial.heldLeafCount()).isEqualTo(LEAVES - 1);

            partial.writeSpan(0, 6, leaf(6));
            partial.complete(destination, false);
            assertThat(Files.readAllBytes(destination)).isEqualTo(CONTENT);
        }
    }

    @Test
    void completionRefusesAnExistingDestinationUnlessAskedToOverwrite() throws Exception {
        Path destination = Files.write(tmp.resolve("out.bin"), new byte[] {1, 2, 3});
        try (BlockStore store = open(storeDir(), flushEvery(4), new FaultyDisk())) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            partial.writeSpan(3, 0, Arrays.copyOf(CONTENT, 8 * L));
            partial.writeSpan(1, 4, Arrays.copyOfRange(CONTENT, 8 * L, CONTENT.length));
            assertThatThrownBy(() -> partial.complete(destination, false)).isInstanceOf(FileAlreadyExistsException.class);
            assertThat(Files.readAllBytes(destination)).containsExactly(1, 2, 3);
            partial.complete(destination, true);
            assertThat(Files.readAllBytes(destination)).isEqualTo(CONTENT);
        }
    }

    @Test
    void fullDiskDuringWriteSpanKeepsTheRecordConsistent() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        try (BlockStore store = open(storeDir(), flushEvery(1), disk)) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            partial.writeSpan(0, 0, leaf(0));
            disk.failWritesTo(path -> path.getFileName().toString().equals("data"));
            assertThatThrownBy(() -> partial.writeSpan(0, 1, leaf(1)))
                    .isInstanceOf(StorageFullException.class)
                    .hasMessageContaining("span (0, 1)")
                    .hasMessageContaining("no space left on device");
            assertThat(partial.isHeld(1)).isFalse();
            disk.heal();
            partial.writeSpan(0, 1, leaf(1));
            assertThat(partial.heldLeafCount()).isEqualTo(2);
        }
    }

    @Test
    void fullDiskDuringCompletionLeavesNoDestinationFile() throws Exception {
        FaultyDisk disk = new FaultyDisk();
        try (BlockStore store = open(storeDir(), flushEvery(100), disk)) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            for (long leaf = 0; leaf < LEAVES; leaf++) {
                partial.writeSpan(0, leaf, leaf(leaf));
            }
            disk.failWritesTo(path -> true);
            Path destination = tmp.resolve("out.bin");
            assertThatThrownBy(() -> partial.complete(destination, false)).isInstanceOf(StorageFullException.class);
            assertThat(destination).doesNotExist();
            disk.heal();
            partial.complete(destination, false);
            assertThat(Files.readAllBytes(destination)).isEqualTo(CONTENT);
        }
    }

    @Test
    void emptyFileDownloadsAndCompletes() throws Exception {
        MerkleTree empty = treeOf(new byte[0]);
        try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
            PartialDownload partial = store.startDownload(empty.contentId(), 0, leafLayer(empty));
            assertThat(partial.nextMissingLeaf(0)).isZero();
            partial.writeSpan(0, 0, new byte[0]);
            Path destination = tmp.resolve("empty.bin");
            partial.complete(destination, false);
            assertThat(destination).isEmptyFile();
        }
    }

    @Test
    void readSpanServesOnlyHeldLeavesAndVerifiesThemAgainstTheLayer() throws Exception {
        try (BlockStore store = open(storeDir(), flushEvery(1), new FaultyDisk())) {
            PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
            partial.writeSpan(1, 1, Arrays.copyOfRange(CONTENT, 2 * L, 4 * L));

            VerifiedSpan span = partial.readSpan(1, 1);
            assertThat(span.data()).isEqualTo(Arrays.copyOfRange(CONTENT, 2 * L, 4 * L));
            assertThat(SpanVerifier.verifyData(ID, span.proof(), span.data())).isTrue();
            assertThat(partial.readSpan(0, 3).data()).isEqualTo(leaf(3));
            assertThatThrownBy(() -> partial.readSpan(0, 4)).isInstanceOf(java.util.NoSuchElementException.class)
                    .hasMessageContaining("leaf 4");
            assertThatThrownBy(() -> partial.readSpan(2, 0)).isInstanceOf(java.util.NoSuchElementException.class);

            try (RandomAccessFile data = new RandomAccessFile(partialDir().resolve("data").toFile(), "rw")) {
                data.seek(3L * L + 7);
                data.write(~CONTENT[3 * L + 7]);
            }
            assertThatThrownBy(() -> partial.readSpan(0, 3)).isInstanceOf(ContentChangedException.class)
                    .hasMessageContaining("leaf 3");
        }
    }

    /**
     * Regression: a peer connected to a partial holder whose download finished was refused with
     * CHANGED_ON_DISK (the data file had moved to the destination) and dropped as a holder.
     */
    @Test
    void readSpanStillServesAfterCompleteMovedTheDataToTheDestination() throws Exception {
        for (boolean overwrite : new boolean[] {false, true}) {
            try (BlockStore store = open(storeDir(), flushEvery(4), new FaultyDisk())) {
                PartialDownload partial = store.startDownload(ID, CONTENT.length, leafLayer(TREE));
                for (long leaf = 0; leaf < LEAVES; leaf++) {
                    partial.writeSpan(0, leaf, leaf(leaf));
                }
                Path destination = tmp.resolve("done-" + overwrite + ".bin");
                partial.complete(destination, overwrite);
                assertThat(partialDir()).doesNotExist();

                assertThat(partial.readSpan(0, 9).data()).isEqualTo(leaf(9));
                assertThat(partial.readSpan(1, 2).data()).isEqualTo(Arrays.copyOfRange(CONTENT, 4 * L, 6 * L));
                Files.delete(destination);
                assertThatThrownBy(() -> partial.readSpan(0, 1)).isInstanceOf(ContentChangedException.class)
                        .hasMessageContaining("deleted");
            }
        }
    }
}
