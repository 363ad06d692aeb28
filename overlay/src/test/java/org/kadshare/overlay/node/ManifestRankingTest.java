package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.MediaTypes;
import org.kadshare.storage.NodeIdentity;

class ManifestRankingTest {
    private static final ContentId ID = ContentId.of(new byte[ContentId.LENGTH_BYTES]);
    private static final long LENGTH = 1_000;

    @TempDir
    Path tmp;

    private NodeIdentity key(String name) throws Exception {
        return NodeIdentity.loadOrCreate(Files.createDirectories(tmp.resolve(name)));
    }

    private static Manifest manifest(NodeIdentity by, long length, String name, long created) throws Exception {
        return Manifest.sign(ID, length, name, MediaTypes.DEFAULT, created, by);
    }

    @Test
    void aManifestContradictingTheProvenLengthIsDiscardedWithEveryOtherOfItsPublisher() throws Exception {
        NodeIdentity liar = key("liar");
        NodeIdentity honest = key("honest");
        Manifest lie = manifest(liar, LENGTH + 1, "a.bin", 1);
        Manifest liarsTrueLength = manifest(liar, LENGTH, "b.bin", 2);
        Manifest fair = manifest(honest, LENGTH, "c.bin", 3);
        ManifestRanking r = ManifestRanking.rank(List.of(lie, liarsTrueLength, fair), LENGTH);
        assertThat(r.kept()).containsExactly(fair);
        assertThat(r.discarded()).containsExactlyInAnyOrder(lie, liarsTrueLength);
        assertThat(r.distrustedPublishers()).isEqualTo(1);
    }

    @Test
    void aNameMorePublishersVouchForRanksFirstThenTheNewestWhateverTheOrderFound() throws Exception {
        Manifest oneOld = manifest(key("a"), LENGTH, "popular.bin", 1);
        Manifest twoOld = manifest(key("b"), LENGTH, "popular.bin", 2);
        Manifest loneNew = manifest(key("c"), LENGTH, "lone.bin", 99);
        ManifestRanking r = ManifestRanking.rank(List.of(loneNew, oneOld, twoOld), LENGTH);
        assertThat(r.kept()).containsExactly(twoOld, oneOld, loneNew);
        assertThat(ManifestRanking.rank(List.of(twoOld, loneNew, oneOld), LENGTH).kept()).isEqualTo(r.kept());
        assertThat(r.discarded()).isEmpty();
    }

    @Test
    void noManifestAtAllRanksToNothing() {
        ManifestRanking r = ManifestRanking.rank(List.of(), LENGTH);
        assertThat(r.kept()).isEmpty();
        assertThat(r.distrustedPublishers()).isZero();
    }
}
