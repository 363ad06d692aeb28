package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderScanTest {
    @TempDir
    Path dir;

    @Test
    void filesEmptyFilesAndEmptyDirectoriesAreFoundWithTheirRelativePaths() throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.createDirectories(dir.resolve("empty/inner"));
        Files.writeString(dir.resolve("a/b/deep.txt"), "deep");
        Files.write(dir.resolve("zero"), new byte[0]);
        Files.createSymbolicLink(dir.resolve("link"), dir.resolve("zero"));

        FolderScan.Result r = FolderScan.scan(dir);

        assertThat(r.files()).extracting(FolderScan.File::path).containsExactly("a/b/deep.txt", "zero");
        assertThat(r.emptyDirectories()).containsExactly("empty/inner");
        assertThat(r.skipped()).containsExactly(dir.resolve("link"));
    }

    @Test
    void aFolderOverTheEntryLimitIsRefusedBeforeAnythingIsHashedAndOneAtTheLimitIsNot() throws Exception {
        for (int i = 0; i < 11; i++) {
            Files.write(dir.resolve("f" + i), new byte[0]);
        }
        assertThatThrownBy(() -> FolderScan.scan(dir, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than 10 files").hasMessageContaining("sub-folders");
        assertThat(FolderScan.scan(dir, 11).files()).hasSize(11);
    }

    @Test
    void tenThousandAndOneFilesInOneFolderAreRefusedWithTheRealLimit() throws Exception {
        for (int i = 0; i <= Collection.MAX_ENTRIES; i++) {
            Files.createFile(dir.resolve("f" + i));
        }
        assertThatThrownBy(() -> FolderScan.scan(dir)).hasMessageContaining("more than " + Collection.MAX_ENTRIES);
    }

    @Test
    void namesEqualAfterNormalisationAreRefusedNamingBoth() throws Exception {
        Files.writeString(dir.resolve("\u00e9.txt"), "composed");
        Files.writeString(dir.resolve("e\u0301.txt"), "decomposed");
        assertThatThrownBy(() -> FolderScan.scan(dir)).hasMessageContaining("same name after Unicode normalisation");
    }

    @Test
    void aNameACollectionCannotHoldIsRefusedNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("bad\nname"), "x");
        assertThatThrownBy(() -> FolderScan.scan(dir)).hasMessageContaining("rename it")
                .hasMessageContaining("U+000A");
    }
}
