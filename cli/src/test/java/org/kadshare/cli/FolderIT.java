package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.kadshare.cli.NodeCluster.Member;

/** Names and shared folders through real {@code node} processes on loopback. */
class FolderIT extends ClusterFixture {

    @Test
    void aFolderPutOnOneNodeIsFetchedOnAnotherWithItsTreeEmptyFileAndEmptyDirectory() throws Exception {
        Member boot = cluster.start();
        Member a = cluster.start(boot.endpoint());
        Member c = cluster.start(boot.endpoint());
        Path folder = tmp.resolve("photos");
        Files.createDirectories(folder.resolve("2024/summer"));
        Files.createDirectories(folder.resolve("empty/inner"));
        byte[] big = new byte[700_000];
        new Random(7).nextBytes(big);
        Files.write(folder.resolve("2024/summer/beach.png"), big);
        Files.writeString(folder.resolve("2024/notes.txt"), "sand\n");
        Files.writeString(folder.resolve("readme.md"), "# photos\n");
        Files.writeString(folder.resolve("2024/summer/same-as-notes.txt"), "sand\n");
        Files.write(folder.resolve("nothing.txt"), new byte[0]);

        NodeProcess.Result put = NodeCluster.run(a, "put", folder.toString());
        assertThat(put.exitCode()).as(put + a.log()).isZero();
        String id = put.stdout().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        NodeProcess.Result ls = NodeCluster.run(a, "ls");
        assertThat(ls.stdout()).contains(id + "  ").contains("photos/  (folder)").contains("beach.png");

        Path into = Files.createDirectories(tmp.resolve("fetched"));
        NodeProcess.Result get = NodeCluster.run(c, "get", id, "-o", into + "/", "--timeout", "90s");
        assertThat(get.exitCode()).as(get + c.log() + a.log()).isZero();
        Path copy = into.resolve("photos");
        assertThat(get.stdout().strip()).isEqualTo(copy.toString());
        assertThat(tree(copy)).isEqualTo(tree(folder));
        for (String f : List.of("2024/summer/beach.png", "2024/notes.txt", "readme.md", "2024/summer/same-as-notes.txt",
                "nothing.txt")) {
            assertThat(Files.readAllBytes(copy.resolve(f))).as(f).isEqualTo(Files.readAllBytes(folder.resolve(f)));
        }
        assertThat(copy.resolve("empty/inner")).isEmptyDirectory();

        NodeProcess.Result again = NodeCluster.run(c, "get", id, "-o", into + "/", "--timeout", "90s");
        assertThat(again.exitCode()).as("a second get resumes into the same tree: " + again).isZero();
        assertThat(again.stdout().strip()).isEqualTo(copy.toString());

        Path only = tmp.resolve("only-text");
        NodeProcess.Result some = NodeCluster.run(c, "get", id.substring(0, 10), "-o", only.toString(),
                "--only", "*.txt", "--timeout", "90s");
        assertThat(some.exitCode()).as(some.toString()).isZero();
        assertThat(tree(only)).containsExactly("2024/", "2024/notes.txt", "2024/summer/",
                "2024/summer/same-as-notes.txt", "nothing.txt");
    }

    @Test
    void aFileIsWrittenUnderItsManifestNameAndACollisionIsNumbered() throws Exception {
        Member boot = cluster.start();
        Member a = cluster.start(boot.endpoint());
        Path file = Files.writeString(tmp.resolve("src.txt"), "hello\n");
        NodeProcess.Result put = NodeCluster.run(a, "put", file.toString(), "--name", "r\u00e9sum\u00e9 final.txt");
        String id = put.stdout().strip();
        assertThat(id).as(put.toString()).matches("[0-9a-f]{64}");

        Path into = Files.createDirectories(tmp.resolve("downloads"));
        NodeProcess.Result first = NodeCluster.run(boot, "get", id, "-o", into.toString());
        assertThat(first.exitCode()).as(first + boot.log()).isZero();
        assertThat(first.stdout().strip()).isEqualTo(into.resolve("r\u00e9sum\u00e9 final.txt").toString());
        NodeProcess.Result second = NodeCluster.run(boot, "get", id.substring(0, 6), "-o", into.toString());
        assertThat(second.stdout().strip()).as(second.toString())
                .isEqualTo(into.resolve("r\u00e9sum\u00e9 final (1).txt").toString());
        assertThat(Files.readString(into.resolve("r\u00e9sum\u00e9 final (1).txt"))).isEqualTo("hello\n");
    }

    @Test
    void badNamesAndUnknownPrefixesAreRefusedWithAClearMessage() throws Exception {
        Member a = cluster.start();
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");
        for (String bad : List.of("a/b", "a\\b", "..", "line\nbreak", "x".repeat(10 * 1024))) {
            NodeProcess.Result r = NodeCluster.run(a, "put", file.toString(), "--name", bad);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
            assertThat(r.stderr()).contains("manifest name");
        }
        NodeProcess.Result unknown = NodeCluster.run(a, "rm", "abcdef");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.stderr()).contains("unknown hash prefix 'abcdef'");
        NodeProcess.Result shortPrefix = NodeCluster.run(a, "rm", "ab");
        assertThat(shortPrefix.stderr()).contains("at least 4 hex digits");
    }

    @Test
    void aCollectionWhosePathsEscapeTheDestinationIsRefusedAndWritesNothing() throws Exception {
        Member boot = cluster.start();
        Member a = cluster.start(boot.endpoint());
        byte[] evil = ("d1:dle1:fld1:c32:" + "\0".repeat(32) + "1:li3e1:m10:text/plain1:p11:../../x.txtee1:vi1ee")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path doc = Files.write(tmp.resolve("evil.collection"), evil);
        NodeProcess.Result put = NodeCluster.run(a, "put", doc.toString(), "--name", "innocent",
                "--type", "application/x-kadshare-collection");
        String id = put.stdout().strip();
        assertThat(id).as(put.toString()).matches("[0-9a-f]{64}");

        Path into = Files.createDirectories(tmp.resolve("deep/er/into"));
        NodeProcess.Result get = NodeCluster.run(boot, "get", id, "-o", into + "/", "--timeout", "60s");
        assertThat(get.exitCode()).as(get + boot.log()).isEqualTo(ExitCode.VERIFICATION);
        assertThat(get.stderr()).contains("not a valid collection document").contains("'..' component");
        assertThat(tree(tmp.resolve("deep"))).containsExactly("er/", "er/into/");
    }

    /** Every path under {@code root}, directories ending in {@code /}, sorted. */
    private static List<String> tree(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(p -> !p.equals(root))
                    .forEach(p -> out.add(root.relativize(p) + (Files.isDirectory(p) ? "/" : "")));
        }
        out.sort(null);
        return out;
    }
}
