package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.kadshare.cli.NodeCluster.Member;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.ControlError;

/**
 * Keyword search through real {@code node} processes on loopback. Prints the search times the
 * node reports (measured, not asserted: see docs/BENCHMARKS.md).
 */
class SearchIT extends ClusterFixture {
    private static final Pattern TOOK = Pattern.compile("\"tookMillis\":(\\d+)");
    private static final long PUBLISH_WAIT_MILLIS = 30_000;

    /** Searches until a result line names {@code id} (keyword records are published after the put returns). */
    private static NodeProcess.Result searchUntilFound(Member m, String word, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PUBLISH_WAIT_MILLIS);
        NodeProcess.Result r;
        do {
            r = NodeCluster.run(m, "search", word, "--json");
            if (r.stdout().contains(id)) {
                return r;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return r;
    }

    /** Runs {@code node put args...} on {@code m} and returns the ID it printed. */
    private static String put(Member m, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("put"));
        all.addAll(List.of(args));
        NodeProcess.Result put = NodeCluster.run(m, all.toArray(String[]::new));
        String id = put.stdout().strip();
        assertThat(id).as(put + (m.process().isAlive() ? m.log() : "")).matches("[0-9a-f]{64}");
        return id;
    }

    @Test
    void aFilePutOnTheFirstNodeIsFoundFromTheFourthByAnyWordOfItsNameAndAnUnknownNameFindsNothing() throws Exception {
        Member first = cluster.start();
        Member second = cluster.start(first.endpoint());
        Member third = cluster.start(first.endpoint());
        Member fourth = cluster.start(first.endpoint());
        Path file = Files.writeString(tmp.resolve("arq4 Field-Notes.txt"), "notes from the field\n");
        String id = put(first, file.toString());

        List<Long> took = new ArrayList<>();
        for (String word : List.of("arq4", "FIELD", "notes", "txt")) {
            NodeProcess.Result found = searchUntilFound(fourth, word, id);
            assertThat(found.exitCode()).as(word + ": " + found + fourth.log()).isZero();
            assertThat(found.stdout()).contains("\"name\":\"arq4 Field-Notes.txt\"").contains("\"holders\":1");
            Matcher m = TOOK.matcher(found.stdout());
            assertThat(m.find()).as(found.stdout()).isTrue();
            took.add(Long.parseLong(m.group(1)));
        }
        NodeProcess.Result text = NodeCluster.run(fourth, "search", "field", "notes");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.stdout()).startsWith("arq4 Field-Notes.txt").contains(id).contains("1 holder");
        for (int i = 0; i < 5; i++) {
            NodeProcess.Result again = NodeCluster.run(fourth, "search", "arq4", "--json");
            Matcher m = TOOK.matcher(again.stdout());
            assertThat(m.find()).as(again.stdout()).isTrue();
            took.add(Long.parseLong(m.group(1)));
        }
        System.out.println("search latency on loopback (ms, 4 nodes, as the node reports it): " + took);

        NodeProcess.Result unknown = NodeCluster.run(fourth, "search", "zyxwvut", "nonexistent");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(unknown.stdout()).isEmpty();
        assertThat(unknown.stderr()).contains("nothing found for \"zyxwvut nonexistent\"");

        NodeProcess.Result noWord = NodeCluster.run(fourth, "search", "a", "of");
        assertThat(noWord.exitCode()).as(noWord.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(noWord.stderr()).contains("no searchable word");
    }

    @Test
    void searchingFromANodeWithNoPeersSaysSoWithTheNetworkExitCode() throws Exception {
        Member alone = cluster.start();
        NodeProcess.Result r = NodeCluster.run(alone, "search", "anything");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.NETWORK);
        assertThat(r.stderr()).contains("no DHT contacts");
    }

    @Test
    void aFileIsFoundByItsTagAndTagsAreRepublishedAfterThePuttingNodeRestarts() throws Exception {
        Member first = cluster.start();
        Member putter = cluster.start(first.endpoint());
        Member third = cluster.start(first.endpoint());
        Path photo = Files.writeString(tmp.resolve("IMG_0042.jpg"), "pixels\n");
        String id = put(putter, photo.toString(), "--tag", "Holiday2026", "--tag", "beach");
        NodeProcess.Result found = searchUntilFound(third, "holiday2026", id);
        assertThat(found.stdout()).as(found + third.log()).contains("\"name\":\"IMG_0042.jpg\"");

        putter.process().destroyForcibly();
        assertThat(putter.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path sunset = Files.writeString(tmp.resolve("IMG_0043.jpg"), "more pixels\n");
        String offlineId = put(putter, sunset.toString(), "--tag", "sunset2026");
        Member again = cluster.launch(putter.dataDir(), putter.address(), putter.port(), first.endpoint());
        NodeCluster.awaitLine(again, "ready");
        Member joinedLater = cluster.start(first.endpoint());

        NodeProcess.Result afterRestart = searchUntilFound(joinedLater, "holiday2026", id);
        assertThat(afterRestart.stdout()).as(afterRestart + joinedLater.log()).contains(id);
        NodeProcess.Result keptTag = searchUntilFound(joinedLater, "sunset2026", offlineId);
        assertThat(keptTag.stdout()).as("a tag kept on disk, first published by the restarted node: " + keptTag
                + again.log()).contains(offlineId).contains("\"name\":\"IMG_0043.jpg\"");
    }

    @Test
    void aTagWithNoSearchableWordOrTooManyTagsAreRefusedAsUsageErrorsAndNothingIsShared() throws Exception {
        Member node = cluster.start();
        Path file = Files.writeString(tmp.resolve("notes.txt"), "notes\n");
        NodeProcess.Result noWord = NodeCluster.run(node, "put", file.toString(), "--tag", "a.b");
        assertThat(noWord.exitCode()).as(noWord.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(noWord.stderr()).contains("the tag \"a.b\" has no searchable word");
        List<String> args = new ArrayList<>(List.of("put", file.toString()));
        for (int i = 0; i <= org.kadshare.storage.Keywords.MAX_WORDS; i++) {
            args.addAll(List.of("--tag", "word" + i));
        }
        NodeProcess.Result tooMany = NodeCluster.run(node, args.toArray(String[]::new));
        assertThat(tooMany.exitCode()).as(tooMany.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(tooMany.stderr()).contains("too many tags");
        ControlClient api = ControlClient.find(node.dataDir()).orElseThrow();
        for (Object tags : List.of(List.of("holiday", "a.b"), List.of(7), "holiday")) {
            assertThatThrownBy(() -> api.post("/v1/put", Map.of("path", file.toString(), "tags", tags)))
                    .as("tags " + tags).isInstanceOfSatisfying(ControlError.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("usage");
                        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    });
        }
        NodeProcess.Result ls = NodeCluster.run(node, "ls");
        assertThat(ls.exitCode()).as(ls.toString()).isZero();
        assertThat(ls.stdout()).as(ls.toString()).doesNotContain("notes.txt");
    }
}
