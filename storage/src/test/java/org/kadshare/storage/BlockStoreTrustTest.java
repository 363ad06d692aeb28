package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kadshare.storage.StoreFixtures.L;
import static org.kadshare.storage.StoreFixtures.randomBytes;
import static org.kadshare.storage.StoreFixtures.writeFile;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.storage.internal.ChangeStamp;
import org.kadshare.storage.internal.NodeHashing;

/** Serving leaves without hashing them again, and every way that trust ends. */
class BlockStoreTrustTest {
    private static final ContentHasher HASHER = new ContentHasher(1);
    private static final StoreConfig CONFIG = StoreConfig.defaults();

    @TempDir
    Path tmp;

    /** A clock an hour ahead of the file system's, so files just written count as old. */
    private final MovableClock clock = new MovableClock(Instant.now().plus(Duration.ofHours(1)));

    private BlockStore open(StoreConfig config) throws IOException {
        return BlockStore.open(tmp.resolve("store"), config, HASHER::hash, new FaultyDisk(), clock);
    }

    @Test
    void aFileHashedByAddIsServedFromTheFileWithoutReadingIt() throws Exception {
        byte[] content = randomBytes(5 * L + 100, 1);
        Path file = writeFile(tmp, "a.bin", content);
        try (BlockStore store = open(CONFIG)) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            ServableSpan span = store.serveSpan(id, 1, 2);
            assertThat(span).isInstanceOf(ServableSpan.InFile.class);
            ServableSpan.InFile inFile = (ServableSpan.InFile) span;
            assertThat(inFile.file()).isEqualTo(file.toAbsolutePath());
            byte[] bytes = Arrays.copyOfRange(Files.readAllBytes(inFile.file()), (int) inFile.proof().offsetBytes(),
                    (int) (inFile.proof().offsetBytes() + inFile.proof().spanLengthBytes()));
            assertThat(SpanVerifier.verifyData(id, inFile.proof(), bytes)).isTrue();
        }
    }

    @Test
    void aFileChangedMomentsBeforeItWasHashedIsHashedOnEveryRead() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(3 * L, 2));
        clock.set(Instant.now());
        try (BlockStore store = open(CONFIG)) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            assertThat(store.serveSpan(id, 0, 1)).isInstanceOf(ServableSpan.Checked.class);
            assertThat(store.serveSpan(id, 0, 1)).isInstanceOf(ServableSpan.Checked.class);
        }
    }

    @Test
    void anUntrustedSpanIsHashedWithOneDigestNotOnePerLeaf() throws Exception {
        byte[] content = randomBytes(64 * L, 6);
        Path file = writeFile(tmp, "a.bin", content);
        clock.set(Instant.now());
        try (BlockStore store = open(CONFIG)) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            long before = NodeHashing.digestsMade();
            ServableSpan span = store.serveSpan(id, 6, 0);
            long made = NodeHashing.digestsMade() - before;

            assertThat(span).isInstanceOf(ServableSpan.Checked.class);
            assertThat(((ServableSpan.Checked) span).span().data()).isEqualTo(content);
            assertThat(made).isEqualTo(1);
        }
    }

    @Test
    void aServeThatEarnsTrustLeavesItsLeavesOutOfTheHotCache() throws Exception {
        byte[] content = randomBytes(8 * L, 7);
        Path file = writeFile(tmp, "a.bin", content);
        try (BlockStore store = open(CONFIG)) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            store.distrust(id);
            ServableSpan first = store.serveSpan(id, 3, 0);
            store.cache().cleanUp();

            assertThat(first).isInstanceOf(ServableSpan.Checked.class);
            assertThat(((ServableSpan.Checked) first).span().data()).isEqualTo(content);
            assertThat(store.cacheStats().weightBytes()).isZero();
            assertThat(store.serveSpan(id, 3, 0)).isInstanceOf(ServableSpan.InFile.class);
        }
    }

    @Test
    void leavesThatCannotBeTrustedYetAreKeptInTheHotCache() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(8 * L, 8));
        clock.set(Instant.now());
        try (BlockStore store = open(CONFIG)) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            store.serveSpan(id, 3, 0);
            store.cache().cleanUp();

            assertThat(store.cacheStats().weightBytes()).isEqualTo(8L * L);
            assertThat(store.serveSpan(id, 3, 0)).isInstanceOf(ServableSpan.Checked.class);
            assertThat(store.cacheStats().hitCount()).isEqualTo(8);
        }
    }

    @Test
    void sameSizeChangeWithRestoredMtimeEndsTheTrustAndIsNeverServed() throws Exception {
        byte[] content = randomBytes(4 * L, 3);
        Path file = writeFile(tmp, "a.bin", content);
        try (BlockStore store = open(CONFIG)) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            assertThat(store.serveSpan(id, 2, 0)).isInstanceOf(ServableSpan.InFile.class);
            waitForTheNextFileSystemTick(file);
            FileTime mtime = Files.getLastModifiedTime(file);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(3L * L + 7);
                raf.write(content[3 * L + 7] ^ 0x40);
            }
            Files.setLastModifiedTime(file, mtime);

            ServableSpan first = store.serveSpan(id, 0, 0);
            assertThat(first).isInstanceOf(ServableSpan.Checked.class);
            assertThat(((ServableSpan.Checked) first).span().data()).isEqualTo(Arrays.copyOf(content, L));
            assertThatThrownBy(() -> store.serveSpan(id, 1, 1))
                    .isInstanceOf(ContentChangedException.class)
                    .hasMessageContaining("leaf 3");
            assertThatThrownBy(() -> store.serveSpan(id, 0, 0)).isInstanceOf(ContentChangedException.class);
            assertThat(store.get(id).orElseThrow().stale()).isTrue();
        }
    }

    @Test
    void trustLapsesAfterTheReverifyIntervalAndIsEarnedAgainByHashing() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(2 * L, 4));
        try (BlockStore store = open(CONFIG.withReverifyAfterMillis(60_000))) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            clock.advance(Duration.ofSeconds(59));
            assertThat(store.serveSpan(id, 1, 0)).isInstanceOf(ServableSpan.InFile.class);
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.serveSpan(id, 1, 0)).isInstanceOf(ServableSpan.Checked.class);
            assertThat(store.serveSpan(id, 1, 0)).isInstanceOf(ServableSpan.InFile.class);
        }
    }

    @Test
    void distrustMakesTheNextReadHashAgain() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(2 * L, 5));
        try (BlockStore store = open(CONFIG)) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            store.distrust(id);
            assertThat(store.serveSpan(id, 0, 0)).isInstanceOf(ServableSpan.Checked.class);
            assertThat(store.serveSpan(id, 0, 0)).isInstanceOf(ServableSpan.InFile.class);
            assertThat(store.serveSpan(id, 0, 1)).isInstanceOf(ServableSpan.Checked.class);
        }
    }

    @Test
    void aReopenedStoreHashesEachLeafOnItsFirstServe() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(2 * L, 6));
        ContentId id;
        try (BlockStore store = open(CONFIG)) {
            id = store.add(file, AddMode.REFERENCE).id();
        }
        try (BlockStore reopened = open(CONFIG)) {
            assertThat(reopened.serveSpan(id, 1, 0)).isInstanceOf(ServableSpan.Checked.class);
            assertThat(reopened.serveSpan(id, 1, 0)).isInstanceOf(ServableSpan.InFile.class);
        }
    }

    @Test
    void leavesServedFromTheHotCacheEarnNoTrust() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(2 * L, 7));
        clock.set(Instant.now());
        try (BlockStore store = open(CONFIG)) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            store.readSpan(id, 0, 0); // leaf 0 now in the hot cache, hashed while the file was too new
            clock.advance(Duration.ofHours(1));
            assertThat(store.serveSpan(id, 1, 0)).isInstanceOf(ServableSpan.Checked.class);
            assertThat(store.serveSpan(id, 0, 1)).isInstanceOf(ServableSpan.InFile.class);
            assertThat(store.serveSpan(id, 0, 0)).isInstanceOf(ServableSpan.Checked.class);
        }
    }

    @Test
    void aZeroReverifyIntervalHashesEveryRead() throws Exception {
        Path file = writeFile(tmp, "a.bin", randomBytes(L, 8));
        try (BlockStore store = open(CONFIG.withReverifyAfterMillis(0))) {
            ContentId id = store.add(file, AddMode.REFERENCE).id();
            assertThat(store.serveSpan(id, 0, 0)).isInstanceOf(ServableSpan.Checked.class);
            assertThat(store.serveSpan(id, 0, 0)).isInstanceOf(ServableSpan.Checked.class);
        }
    }

    /**
     * Returns once a file changed now gets a later ctime than {@code file} has (at most a few
     * milliseconds: one tick of the file system's clock), so that a change is visible in the stamp.
     */
    private void waitForTheNextFileSystemTick(Path file) throws IOException {
        Instant changed = ChangeStamp.of(file).changed();
        Path probe = tmp.resolve("tick-probe");
        for (int i = 0; i < 1_000_000; i++) {
            Files.write(probe, new byte[] {(byte) i});
            if (ChangeStamp.of(probe).changed().isAfter(changed)) {
                return;
            }
        }
        throw new AssertionError("the file system's clock did not move");
    }

    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
