package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalManifestsTest {
    @TempDir
    Path tmp;

    @Test
    void idsListEveryContentWithAManifestInOrderAndSkipForeignDirectories() throws Exception {
        LocalManifests manifests = LocalManifests.open(tmp.resolve("manifests"));
        assertThat(manifests.ids()).isEmpty();
        NodeIdentity signer = NodeIdentity.generate();
        ContentId a = StoreFixtures.treeOf(StoreFixtures.randomBytes(100, 1)).contentId();
        ContentId b = StoreFixtures.treeOf(StoreFixtures.randomBytes(200, 2)).contentId();
        manifests.save(Manifest.sign(b, 200, "b.bin", MediaTypes.DEFAULT, 1, signer));
        manifests.save(Manifest.sign(a, 100, "a.bin", MediaTypes.DEFAULT, 1, signer));
        Files.createDirectories(tmp.resolve("manifests").resolve("not-an-id"));

        assertThat(manifests.ids()).containsExactly(a.compareTo(b) < 0 ? a : b, a.compareTo(b) < 0 ? b : a);
        manifests.remove(a);
        assertThat(manifests.ids()).containsExactly(b);
    }

    @Test
    void tagsSurviveReopeningAndAreForgottenWithTheManifests() throws Exception {
        ContentId id = StoreFixtures.treeOf(StoreFixtures.randomBytes(100, 3)).contentId();
        LocalManifests manifests = LocalManifests.open(tmp.resolve("manifests"));
        manifests.save(Manifest.sign(id, 100, "a.bin", MediaTypes.DEFAULT, 1, NodeIdentity.generate()));
        manifests.saveTags(id, List.of("holiday2026", "東京タワー"));

        LocalManifests reopened = LocalManifests.open(tmp.resolve("manifests"));
        assertThat(reopened.tags(id)).containsExactly("holiday2026", "東京タワー");
        assertThat(reopened.load(id)).hasSize(1);
        reopened.remove(id);
        assertThat(reopened.tags(id)).isEmpty();
        assertThat(reopened.ids()).isEmpty();
    }

    @Test
    void manifestsKeptBeforeTagsExistedLoadWithNoTags() throws Exception {
        ContentId id = StoreFixtures.treeOf(StoreFixtures.randomBytes(100, 4)).contentId();
        Manifest manifest = Manifest.sign(id, 100, "old.bin", MediaTypes.DEFAULT, 1, NodeIdentity.generate());
        Path old = tmp.resolve("manifests").resolve(id.toHex());
        Files.createDirectories(old);
        Files.write(old.resolve(java.util.HexFormat.of().formatHex(manifest.publisherKey()) + ".manifest"),
                ManifestCodec.encode(manifest));

        LocalManifests manifests = LocalManifests.open(tmp.resolve("manifests"));
        assertThat(manifests.load(id)).containsExactly(manifest);
        assertThat(manifests.tags(id)).isEmpty();
    }

    @Test
    void savingNoTagsRemovesThemAndUnnormalisedTagsAreRefused() throws Exception {
        ContentId id = StoreFixtures.treeOf(StoreFixtures.randomBytes(100, 5)).contentId();
        LocalManifests manifests = LocalManifests.open(tmp.resolve("manifests"));
        manifests.saveTags(id, List.of("beach"));
        manifests.saveTags(id, List.of());
        assertThat(manifests.tags(id)).isEmpty();
        assertThatThrownBy(() -> manifests.saveTags(id, List.of("Beach"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> manifests.saveTags(id, List.of("beach", "beach")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTagsFileDamagedOnDiskIsReportedNamingTheFile() throws Exception {
        ContentId id = StoreFixtures.treeOf(StoreFixtures.randomBytes(100, 6)).contentId();
        LocalManifests manifests = LocalManifests.open(tmp.resolve("manifests"));
        manifests.saveTags(id, List.of("beach"));
        Path file = tmp.resolve("manifests").resolve(id.toHex()).resolve("tags");
        Files.writeString(file, "beach\nNot A Word\n");
        assertThatThrownBy(() -> manifests.tags(id)).isInstanceOf(ManifestException.class)
                .hasMessageContaining(file.toString());
        Files.write(file, new byte[100_000]);
        assertThatThrownBy(() -> manifests.tags(id)).isInstanceOf(ManifestException.class)
                .hasMessageContaining("100000 bytes");
    }
}
