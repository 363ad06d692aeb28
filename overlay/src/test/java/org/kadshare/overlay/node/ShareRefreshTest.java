package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.NodeIdentity;
import org.kadshare.storage.StoreConfig;
import org.kadshare.storage.StoredFile;

class ShareRefreshTest {
    @TempDir
    Path tmp;

    private final List<Manifest> published = new ArrayList<>();
    private final List<ContentId> withdrawn = new ArrayList<>();
    private final ShareRefresh.Network network = new ShareRefresh.Network() {
        @Override
        public void publish(Manifest manifest) {
            published.add(manifest);
        }

        @Override
        public void withdraw(ContentId id) {
            withdrawn.add(id);
        }
    };

    private NodeIdentity me;
    private LocalManifests manifests;
    private BlockStore store;

    @org.junit.jupiter.api.BeforeEach
    void openTheStore() throws Exception {
        me = NodeIdentity.loadOrCreate(tmp);
        manifests = LocalManifests.open(tmp.resolve("manifests"));
        store = BlockStore.open(tmp.resolve("store"), StoreConfig.defaults());
    }

    @org.junit.jupiter.api.AfterEach
    void closeTheStore() throws Exception {
        store.close();
    }

    private RefreshReport refresh(Clock clock) throws Exception {
        return new ShareRefresh(store, manifests, me, network, clock).run();
    }

    private StoredFile share(Path file, String name) throws Exception {
        StoredFile stored = store.add(file, AddMode.REFERENCE);
        manifests.save(Manifest.sign(stored.id(), stored.lengthBytes(), name, "text/plain", 1, me));
        return stored;
    }

    @Test
    void aChangedFileIsSharedAgainUnderItsNewIdWithItsNameAndADeletedOneIsForgotten() throws Exception {
        Path edited = Files.writeString(tmp.resolve("edited.txt"), "first version\n");
        Path deleted = Files.writeString(tmp.resolve("deleted.txt"), "soon gone\n");
        Path kept = Files.writeString(tmp.resolve("kept.txt"), "never touched\n");
        StoredFile before = share(edited, "notes.txt");
        StoredFile gone = share(deleted, "gone.txt");
        StoredFile same = share(kept, "kept.txt");
        Files.writeString(edited, "second, longer version\n");
        Files.delete(deleted);

        RefreshReport report = refresh(Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC));

        assertThat(report.unchanged()).isEqualTo(1);
        assertThat(report.failed()).isEmpty();
        assertThat(report.rehashed()).hasSize(1);
        RefreshReport.Rehashed r = report.rehashed().get(0);
        assertThat(r.oldId()).isEqualTo(before.id());
        assertThat(r.newId()).isNotEqualTo(before.id());
        assertThat(r.name()).isEqualTo("notes.txt");
        assertThat(r.lengthBytes()).isEqualTo(Files.size(edited));
        assertThat(report.withdrawn()).extracting(RefreshReport.Withdrawn::id).containsExactly(gone.id());

        assertThat(store.list()).extracting(StoredFile::id).containsExactlyInAnyOrder(r.newId(), same.id());
        assertThat(store.get(r.newId()).orElseThrow().stale()).isFalse();
        assertThat(manifests.ids()).containsExactlyInAnyOrder(r.newId(), same.id());
        assertThat(published).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo(r.newId());
            assertThat(m.name()).isEqualTo("notes.txt");
            assertThat(m.mediaType()).isEqualTo("text/plain");
            assertThat(m.createdEpochSeconds()).isEqualTo(1_000);
            assertThat(m.verifySignature()).isTrue();
        });
        assertThat(withdrawn).containsExactlyInAnyOrder(before.id(), gone.id());
    }

    @Test
    void aRefreshWithNothingChangedTouchesNothing() throws Exception {
        Path file = Files.writeString(tmp.resolve("a.txt"), "a\n");
        StoredFile stored = share(file, "a.txt");
        RefreshReport report = refresh(Clock.systemUTC());
        assertThat(report.unchanged()).isEqualTo(1);
        assertThat(report.rehashed()).isEmpty();
        assertThat(report.withdrawn()).isEmpty();
        assertThat(published).isEmpty();
        assertThat(withdrawn).isEmpty();
        assertThat(store.get(stored.id()).orElseThrow().stale()).isFalse();
    }

    @Test
    void aFileWhoseTimesChangedButNotItsBytesKeepsItsIdAndIsServedAgain() throws Exception {
        Path file = Files.writeString(tmp.resolve("a.txt"), "same bytes\n");
        StoredFile stored = share(file, "a.txt");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.ofEpochSecond(42)));
        RefreshReport report = refresh(Clock.systemUTC());
        assertThat(report.rehashed()).singleElement().satisfies(r -> assertThat(r.newId()).isEqualTo(stored.id()));
        assertThat(store.get(stored.id()).orElseThrow().stale()).isFalse();
        assertThat(withdrawn).isEmpty();
        assertThat(published).extracting(Manifest::id).containsExactly(stored.id());
    }

    @Test
    void aChangedFileKeepsItsTagsUnderItsNewId() throws Exception {
        Path edited = Files.writeString(tmp.resolve("photo.jpg"), "first version\n");
        StoredFile before = share(edited, "photo.jpg");
        manifests.saveTags(before.id(), List.of("holiday2026"));
        Files.writeString(edited, "second, longer version\n");

        RefreshReport report = refresh(Clock.fixed(Instant.ofEpochSecond(1_000), ZoneOffset.UTC));

        ContentId after = report.rehashed().get(0).newId();
        assertThat(after).isNotEqualTo(before.id());
        assertThat(manifests.tags(after)).containsExactly("holiday2026");
        assertThat(manifests.tags(before.id())).isEmpty();
    }
}
