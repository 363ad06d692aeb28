package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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
}
