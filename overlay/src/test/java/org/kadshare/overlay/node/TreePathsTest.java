package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.node.GetFailedException.Reason;

class TreePathsTest {
    @TempDir
    Path tmp;

    @Test
    void aNestedPathIsCreatedUnderTheRoot() throws Exception {
        Path root = tmp.resolve("root");
        TreePaths.root(root);
        Path f = TreePaths.file(root, "a/b/c.txt");
        assertThat(f).isEqualTo(root.resolve("a/b/c.txt"));
        assertThat(root.resolve("a/b")).isDirectory();
    }

    @Test
    void escapingPathsAreRefusedAndNothingIsCreatedOutsideTheRoot() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        for (String bad : List.of("../outside.txt", "/etc/passwd", "a/../../x", "a\\..\\x", "a/./b")) {
            assertThatThrownBy(() -> TreePaths.file(root, bad)).isInstanceOfSatisfying(GetFailedException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.VERIFICATION));
        }
        assertThat(tmp.resolve("outside.txt")).doesNotExist();
    }

    @Test
    void aSymbolicLinkPlantedInTheTreeIsNeverWrittenThrough() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("a"), elsewhere);
        Files.createSymbolicLink(root.resolve("f.txt"), elsewhere.resolve("target.txt"));
        assertThatThrownBy(() -> TreePaths.file(root, "a/x.txt")).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> TreePaths.file(root, "f.txt")).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> TreePaths.directory(root, "a/sub")).hasMessageContaining("symbolic link");
        assertThat(elsewhere).isEmptyDirectory();
    }

    @Test
    void onlyPatternsMatchWholePathsOrNamesAlone() {
        FileSelection txt = FileSelection.of(List.of("*.txt"));
        assertThat(txt.matches("a/b/notes.txt")).isTrue();
        assertThat(txt.matches("notes.md")).isFalse();
        FileSelection docs = FileSelection.of(List.of("docs/**"));
        assertThat(docs.matches("docs/a/b.md")).isTrue();
        assertThat(docs.matches("src/docs.md")).isFalse();
        assertThat(FileSelection.of(List.of()).matches("anything")).isTrue();
    }
}
