package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.kadshare.cli.NodeCluster.Member;

/** Shares that change on disk, {@code node refresh} and {@code node browse}, through real {@code node} processes. */
class BrowseAndRefreshIT extends ClusterFixture {

    private static String idOf(NodeProcess.Result put) {
        String id = put.stdout().strip();
        assertThat(id).as(put.toString()).matches("[0-9a-f]{64}");
        return id;
    }

    @Test
    void anEditedShareIsStaleRefusedAndAfterRefreshFetchedByItsNewId() throws Exception {
        Member boot = cluster.start();
        Member a = cluster.start(boot.endpoint());
        Member b = cluster.start(boot.endpoint());
        Path file = Files.writeString(tmp.resolve("report.txt"), "first draft\n");
        String oldId = idOf(NodeCluster.run(a, "put", file.toString()));

        Files.writeString(file, "second draft, a little longer\n");
        NodeProcess.Result ls = NodeCluster.run(a, "ls");
        assertThat(ls.stdout()).contains(oldId).contains("report.txt")
                .contains("changed on disk: not served; `node refresh` shares it again");
        NodeProcess.Result status = NodeCluster.run(a, "status", "--json");
        assertThat(status.stdout()).contains("\"staleFiles\":1").contains("\"filesShared\":0");

        NodeProcess.Result refused = NodeCluster.run(b, "get", oldId, "-o", tmp.resolve("old.txt").toString(),
                "--timeout", "30s");
        assertThat(refused.exitCode()).as(refused.toString()).isNotZero();
        assertThat(refused.stderr()).contains("changed on disk and is not served");
        assertThat(tmp.resolve("old.txt")).doesNotExist();

        NodeProcess.Result refresh = NodeCluster.run(a, "refresh");
        assertThat(refresh.exitCode()).as(refresh + a.log()).isZero();
        assertThat(refresh.stdout()).contains("rehashed").contains("report.txt").contains("(was " + oldId + ")");
        String newId = refresh.stdout().strip().split("\\s+")[1];
        assertThat(newId).matches("[0-9a-f]{64}").isNotEqualTo(oldId);
        assertThat(refresh.stderr()).contains("1 re-hashed, 0 withdrawn, 0 failed, 0 unchanged");
        assertThat(NodeCluster.run(a, "ls").stdout()).contains(newId).doesNotContain(oldId)
                .doesNotContain("changed on disk");

        Path into = Files.createDirectories(tmp.resolve("fetched"));
        NodeProcess.Result get = NodeCluster.run(b, "get", newId, "-o", into + "/", "--timeout", "60s");
        assertThat(get.exitCode()).as(get + b.log() + a.log()).isZero();
        assertThat(Files.readString(into.resolve("report.txt"))).isEqualTo("second draft, a little longer\n");
    }

    @Test
    void aDeletedShareIsWithdrawnByRefreshAndTheOthersAreLeftAlone() throws Exception {
        Member a = cluster.start();
        Path gone = Files.writeString(tmp.resolve("gone.txt"), "soon deleted\n");
        Path kept = Files.writeString(tmp.resolve("kept.txt"), "stays\n");
        String goneId = idOf(NodeCluster.run(a, "put", gone.toString()));
        String keptId = idOf(NodeCluster.run(a, "put", kept.toString()));
        Files.delete(gone);

        NodeProcess.Result refresh = NodeCluster.run(a, "refresh", "--json");
        assertThat(refresh.exitCode()).as(refresh + a.log()).isZero();
        assertThat(refresh.stdout()).contains("\"withdrawn\":[{\"id\":\"" + goneId + "\",\"name\":\"gone.txt\"")
                .contains("\"rehashed\":[]").contains("\"unchanged\":1");
        NodeProcess.Result ls = NodeCluster.run(a, "ls");
        assertThat(ls.stdout()).contains(keptId).doesNotContain(goneId);
    }

    @Test
    void browseFromAThirdNodeListsAFilePutOnTheFirstWithItsName() throws Exception {
        Member first = cluster.start();
        Member second = cluster.start(first.endpoint());
        Member third = cluster.start(first.endpoint());
        Path file = Files.writeString(tmp.resolve("src.txt"), "what the network offers\n");
        String id = idOf(NodeCluster.run(first, "put", file.toString(), "--name", "holiday plans.txt"));
        NodeProcess.Result browse = null;
        for (int attempt = 0; attempt < 5; attempt++) { // the put's announce may still be on its way
            browse = NodeCluster.run(third, "browse", "--max-queries", "16", "--timeout", "15s");
            if (browse.exitCode() == 0 && browse.stdout().contains(id)) {
                break;
            }
            Thread.sleep(1_000);
        }
        assertThat(browse.exitCode()).as(browse + third.log() + second.log()).isZero();
        assertThat(browse.stdout()).contains(id + "        24 B  holiday plans.txt");
        assertThat(browse.stderr()).contains("queries");

        NodeProcess.Result json = NodeCluster.run(third, "browse", "--json", "--max-results", "5");
        assertThat(json.stdout()).contains("\"id\":\"" + id + "\",\"name\":\"holiday plans.txt\"");
        NodeProcess.Result bad = NodeCluster.run(third, "browse", "--max-queries", "0");
        assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(bad.stderr()).contains("max queries must be 1..1024");
    }
}
