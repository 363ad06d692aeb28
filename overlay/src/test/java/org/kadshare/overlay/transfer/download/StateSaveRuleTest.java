package org.kadshare.overlay.transfer.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentHasher;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.PartialDownload;
import org.kadshare.storage.StoreConfig;

class StateSaveRuleTest {
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;

    @TempDir
    Path dir;

    @Test
    void theFirstSpanArmsTheTimerAndTheTimerSavesWhatWasWrittenSince() {
        StateSaveRule rule = new StateSaveRule(0, 1_000);
        assertThat(rule.written(100)).isEqualTo(StateSaveRule.Step.ARM_TIMER);
        assertThat(rule.written(200)).isEqualTo(StateSaveRule.Step.NONE);
        assertThat(rule.unsavedBytes()).isEqualTo(200);
        assertThat(rule.timerFired()).isTrue();
        assertThat(rule.unsavedBytes()).isZero();
        assertThat(rule.timerFired()).as("nothing written since: no save").isFalse();
        assertThat(rule.written(300)).as("the next span arms it again").isEqualTo(StateSaveRule.Step.ARM_TIMER);
    }

    @Test
    void aSaveIsAskedAtOnceWhenTheByteBoundIsReachedBeforeTheTimer() {
        StateSaveRule rule = new StateSaveRule(0, 1_000);
        assertThat(rule.written(600)).isEqualTo(StateSaveRule.Step.ARM_TIMER);
        assertThat(rule.written(999)).isEqualTo(StateSaveRule.Step.NONE);
        assertThat(rule.written(1_000)).isEqualTo(StateSaveRule.Step.SAVE_NOW);
        assertThat(rule.unsavedBytes()).isZero();
        assertThat(rule.written(1_500)).as("the armed timer covers it").isEqualTo(StateSaveRule.Step.NONE);
        assertThat(rule.timerFired()).isTrue();
    }

    @Test
    void inTheFilesLastBoundASaveIsAskedEveryQuarterOfIt() {
        StateSaveRule rule = new StateSaveRule(0, 1_000, 10_000);
        rule.written(1);
        assertThat(rule.written(8_000)).isEqualTo(StateSaveRule.Step.SAVE_NOW);
        assertThat(rule.written(8_900)).as("the last 1,000 bytes begin after 9,000").isEqualTo(StateSaveRule.Step.NONE);
        assertThat(rule.written(9_001)).isEqualTo(StateSaveRule.Step.SAVE_NOW);
        assertThat(rule.written(9_250)).isEqualTo(StateSaveRule.Step.NONE);
        assertThat(rule.written(9_251)).isEqualTo(StateSaveRule.Step.SAVE_NOW);
        assertThat(rule.written(9_900)).isEqualTo(StateSaveRule.Step.SAVE_NOW);
        assertThat(rule.written(10_000)).as("the completion forces the rest").isEqualTo(StateSaveRule.Step.NONE);
        assertThat(rule.unsavedBytes()).isEqualTo(100);
    }

    @Test
    void aFileOfUnknownLengthIsSavedByTheWholeBoundOnly() {
        StateSaveRule rule = new StateSaveRule(0, 1_000, -1);
        rule.written(1);
        assertThat(rule.written(999)).isEqualTo(StateSaveRule.Step.NONE);
        assertThat(rule.written(1_000)).isEqualTo(StateSaveRule.Step.SAVE_NOW);
    }

    @Test
    void aResumedDownloadCountsOnlyWhatItWritesItself() {
        StateSaveRule rule = new StateSaveRule(5_000, 1_000);
        assertThat(rule.unsavedBytes()).isZero();
        assertThat(rule.written(5_999)).isEqualTo(StateSaveRule.Step.ARM_TIMER);
        assertThat(rule.written(6_000)).isEqualTo(StateSaveRule.Step.SAVE_NOW);
    }

    @Test
    void writesReportedOutOfOrderNeverMoveTheHeldBytesBack() {
        StateSaveRule rule = new StateSaveRule(0, 1_000);
        rule.written(800);
        rule.written(300); // a write of another disk thread, reported later
        assertThat(rule.unsavedBytes()).isEqualTo(800);
    }

    @Test
    void badArgumentsAreRefused() {
        assertThatThrownBy(() -> new StateSaveRule(-1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StateSaveRule(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Drives the rule as the download driver does, on a virtual clock, over a real partial
     * download (default store settings: no save by count), with spans arriving at several rates;
     * the node is killed at every few spans. What the store holds after the crash is never more
     * than the rule's bound behind what was written (the smaller of one second of spans and the
     * byte bound), and the resumed download is missing exactly the leaves not recorded.
     */
    @Test
    void aCrashAtAnyMomentLosesAtMostOneSecondOfSpansOrTheByteBoundAndResumeMissesExactlyThose() throws Exception {
        int spanLeaves = 4;
        int spans = 64;
        byte[] content = new byte[spans * spanLeaves * L];
        new Random(7).nextBytes(content);
        MerkleTree tree;
        try (ContentHasher hasher = new ContentHasher(1)) {
            tree = hasher.hash(content);
        }
        long everyBytes = 10L * spanLeaves * L; // a save at the latest every 10 spans
        long[] gapsMillis = {1, 50, 300, 1_500};
        int run = 0;
        for (long gap : gapsMillis) {
            for (int crashAfter = 1; crashAfter <= spans; crashAfter += 7) {
                Path storeDir = dir.resolve("store-" + run++);
                BlockStore crashed = BlockStore.open(storeDir, StoreConfig.defaults());
                PartialDownload partial = crashed.startDownload(tree.contentId(), content.length,
                        tree.leafHashes(0, (int) tree.leafCount()));
                StateSaveRule rule = new StateSaveRule(0, everyBytes);
                long now = 0;
                long timerAt = -1;
                List<Long> writtenAt = new ArrayList<>();
                for (int s = 0; s < crashAfter; s++) {
                    now += gap;
                    if (timerAt >= 0 && timerAt <= now) {
                        timerAt = -1;
                        if (rule.timerFired()) {
                            partial.saveStateIfUnsaved();
                        }
                    }
                    int from = s * spanLeaves * L;
                    partial.writeSpan(2, s, ByteBuffer.wrap(content, from, spanLeaves * L));
                    writtenAt.add(now);
                    switch (rule.written(partial.bytesDone())) {
                        case SAVE_NOW -> partial.saveStateIfUnsaved();
                        case ARM_TIMER -> timerAt = now + StateSaveRule.SAVE_AFTER_MILLIS;
                        case NONE -> { }
                    }
                }
                // the crash: neither the partial download nor the store is closed

                try (BlockStore store = BlockStore.open(storeDir, StoreConfig.defaults())) {
                    PartialDownload resumed = store.resumeDownload(tree.contentId()).orElseThrow();
                    long recordedSpans = resumed.heldLeafCount() / spanLeaves;
                    long lost = crashAfter - recordedSpans;
                    long lostBytes = lost * spanLeaves * L;
                    assertThat(lostBytes).as("gap %d ms, crash after %d spans", gap, crashAfter)
                            .isLessThan(everyBytes);
                    if (lost > 0) {
                        long oldestLost = writtenAt.get((int) recordedSpans);
                        assertThat(now - oldestLost).as("gap %d ms, crash after %d spans", gap, crashAfter)
                                .isLessThan(StateSaveRule.SAVE_AFTER_MILLIS);
                    }
                    assertThat(resumed.nextMissingLeaf(0)).isEqualTo(recordedSpans * spanLeaves);
                    for (long leaf = 0; leaf < recordedSpans * spanLeaves; leaf++) {
                        assertThat(resumed.isHeld(leaf)).isTrue();
                    }
                    resumed.close();
                }
            }
        }
    }
}
