package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.kadshare.overlay.node.LoopbackNodes.await;
import static org.kadshare.overlay.node.LoopbackNodes.eventually;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.storage.ContentId;

class NodeSearchTest {
    @TempDir
    Path tmp;

    private static List<SearchResult> search(Node node, String query) {
        return await(node.search(query), "searching " + query);
    }

    @Test
    void aFilePutOnOneNodeIsFoundFromAnotherByEachWordOfItsNameWithItsHolder() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"))) {
            List<Node> nodes = net.startJoined(4);
            Path file = Files.writeString(tmp.resolve("Quarterly Budget-Review.ODS"), "numbers");
            Files.writeString(tmp.resolve("other.txt"), "other");
            ContentId id = nodes.get(0).put(file, PutOptions.defaults()).stored().id();
            nodes.get(1).put(tmp.resolve("other.txt"), PutOptions.defaults());
            for (String word : List.of("quarterly", "BUDGET", "review", "ods")) {
                eventually(() -> search(nodes.get(3), word).stream().anyMatch(r -> r.id().equals(id)),
                        "found by " + word);
            }
            List<SearchResult> hits = search(nodes.get(3), "budget review");
            assertThat(hits).first().satisfies(r -> {
                assertThat(r.id()).isEqualTo(id);
                assertThat(r.name()).isEqualTo("Quarterly Budget-Review.ODS");
                assertThat(r.lengthBytes()).isEqualTo(7);
                assertThat(r.wordsMatched()).isEqualTo(2);
                assertThat(r.publishers()).isEqualTo(1);
                assertThat(r.holders()).isEqualTo(1);
            });
            assertThat(search(nodes.get(2), "nobody published this")).isEmpty();
        }
    }

    @Test
    void aQueryWithoutASearchableWordIsRefusedNamingTheRule() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"))) {
            Node node = net.start(0);
            assertThatThrownBy(() -> node.search("a ... of")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no searchable word").hasMessageContaining("3 to 40");
        }
    }

    @Test
    void aFileIsFoundByATagNotInItsNameAndTheTagCountsAsAMatchedWord() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"))) {
            List<Node> nodes = net.startJoined(4);
            Path file = Files.writeString(tmp.resolve("IMG_0042.jpg"), "pixels");
            ContentId id = nodes.get(0).put(file, PutOptions.defaults().withTags(List.of("Holiday2026", "beach")))
                    .stored().id();
            eventually(() -> search(nodes.get(3), "holiday2026").stream().anyMatch(r -> r.id().equals(id)),
                    "found by its tag");
            eventually(() -> search(nodes.get(3), "holiday2026 beach img").stream()
                    .anyMatch(r -> r.id().equals(id) && r.wordsMatched() == 3), "three words matched");
            assertThat(search(nodes.get(2), "holiday2026")).first().satisfies(r -> {
                assertThat(r.id()).isEqualTo(id);
                assertThat(r.name()).isEqualTo("IMG_0042.jpg");
            });
        }
    }

    @Test
    void tagsOfAFilePutWhileOfflineArePublishedWhenTheNodeJoinsAfterARestart() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"))) {
            List<Node> nodes = net.startJoined(3);
            Node putter = net.start(3);
            Path file = Files.writeString(tmp.resolve("IMG_0043.jpg"), "more pixels");
            ContentId id = putter.put(file, PutOptions.defaults().withTags(List.of("holiday2026"))).stored().id();
            putter.close();

            Node restarted = net.start(3);
            await(restarted.join(List.of(nodes.get(0).dhtAddress())), "the restarted node joining");
            eventually(() -> search(nodes.get(2), "holiday2026").stream().anyMatch(r -> r.id().equals(id)),
                    "found by the tag kept over the restart");
        }
    }

    @Test
    void aFolderPutFilesTheCollectionUnderItsTagsAndNotItsFiles() throws Exception {
        try (LoopbackNodes net = new LoopbackNodes(tmp.resolve("nodes"))) {
            List<Node> nodes = net.startJoined(3);
            Path folder = Files.createDirectories(tmp.resolve("trip"));
            Files.writeString(folder.resolve("day1.txt"), "sun");
            PutOptions tagged = PutOptions.defaults().withTags(List.of("holiday2026"));
            ContentId collection = nodes.get(0).putFolder(folder, tagged).stored().id();
            eventually(() -> search(nodes.get(2), "day1").size() == 1, "the file found by its name");
            eventually(() -> search(nodes.get(2), "holiday2026").stream().anyMatch(r -> r.id().equals(collection)),
                    "the collection found by its tag");
            assertThat(search(nodes.get(2), "holiday2026")).extracting(SearchResult::id).containsExactly(collection);
        }
    }
}
