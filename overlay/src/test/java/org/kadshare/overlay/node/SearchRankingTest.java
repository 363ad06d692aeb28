package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.NodeIdentity;

class SearchRankingTest {
    private static final NodeIdentity ALICE = NodeIdentity.generate();
    private static final NodeIdentity BOB = NodeIdentity.generate();
    private static final NodeIdentity CAROL = NodeIdentity.generate();

    private static ContentId id(int n) {
        byte[] b = new byte[ContentId.LENGTH_BYTES];
        new SplittableRandom(n).nextBytes(b);
        return ContentId.of(b);
    }

    private static KeywordRecord record(String word, ContentId id, String name, NodeIdentity publisher) {
        return KeywordRecord.sign(word, Manifest.sign(id, 100, name, "text/plain", 1_700_000_000L, publisher),
                publisher);
    }

    private final Map<String, List<KeywordRecord>> found = new LinkedHashMap<>();

    private void found(KeywordRecord r) {
        found.computeIfAbsent(r.word(), w -> new ArrayList<>()).add(r);
    }

    @Test
    void aContentMatchingMoreWordsRanksFirstEvenWhenOnlyOneWordsLookupReturnedIt() {
        found(record("holiday", id(1), "holiday beach.jpg", ALICE));
        found(record("beach", id(2), "beach.jpg", ALICE));
        found(record("beach", id(3), "beach party.jpg", BOB));
        List<SearchRanking.Candidate> c = SearchRanking.candidates(List.of("holiday", "beach"), found);
        assertThat(c).extracting(SearchRanking.Candidate::id).first().isEqualTo(id(1));
        assertThat(c.get(0).wordsMatched()).as("beach is in its name").isEqualTo(2);
        assertThat(c).hasSize(3);
    }

    @Test
    void aTagRecordCountsAsAMatchedWordThoughTheTagIsNotInTheName() {
        found(record("holiday2026", id(1), "IMG_0042.jpg", ALICE));
        found(record("img", id(1), "IMG_0042.jpg", ALICE));
        found(record("img", id(2), "IMG_0043.jpg", BOB));
        List<SearchRanking.Candidate> c = SearchRanking.candidates(List.of("img", "holiday2026"), found);
        assertThat(c).extracting(SearchRanking.Candidate::id).containsExactly(id(1), id(2));
        assertThat(c.get(0).wordsMatched()).as("its name word and its tag").isEqualTo(2);
        assertThat(c.get(1).wordsMatched()).isEqualTo(1);
    }

    @Test
    void amongEqualMatchesMoreDistinctPublishersRankFirst() {
        found(record("report", id(1), "report.pdf", ALICE));
        found(record("report", id(2), "report.pdf", ALICE));
        found(record("report", id(2), "report.pdf", BOB));
        found(record("report", id(2), "final report.pdf", CAROL));
        List<SearchRanking.Candidate> c = SearchRanking.candidates(List.of("report"), found);
        assertThat(c).extracting(SearchRanking.Candidate::id).containsExactly(id(2), id(1));
        assertThat(c.get(0).publishers()).isEqualTo(3);
        assertThat(c.get(0).manifest().name()).as("the name most publishers gave").isEqualTo("report.pdf");
    }

    @Test
    void contentsThatNobodyServesRankLastWhateverTheyMatch() {
        found(record("holiday", id(1), "holiday beach.jpg", ALICE));
        found(record("holiday", id(1), "holiday beach.jpg", BOB));
        found(record("holiday", id(2), "holiday.jpg", CAROL));
        List<SearchRanking.Candidate> c = SearchRanking.candidates(List.of("holiday", "beach"), found);
        List<SearchResult> ranked = SearchRanking.rank(c, Map.of(id(2), 1));
        assertThat(ranked).extracting(SearchResult::id).containsExactly(id(2), id(1));
        assertThat(ranked.get(1).holders()).isZero();
        assertThat(ranked.get(1).wordsMatched()).isEqualTo(2);
    }

    @Test
    void moreHoldersBreakATieAndEqualHitsComeOutInOneOrder() {
        found(record("song", id(1), "song.mp3", ALICE));
        found(record("song", id(2), "song.mp3", BOB));
        found(record("song", id(3), "another song.mp3", CAROL));
        List<SearchRanking.Candidate> c = SearchRanking.candidates(List.of("song"), found);
        List<SearchResult> ranked = SearchRanking.rank(c, Map.of(id(1), 1, id(2), 5, id(3), 1));
        assertThat(ranked.get(0).id()).isEqualTo(id(2));
        assertThat(ranked.subList(1, 3)).extracting(SearchResult::name).containsExactly("another song.mp3", "song.mp3");
        List<SearchResult> again = SearchRanking.rank(SearchRanking.candidates(List.of("song"), found),
                Map.of(id(3), 1, id(2), 5, id(1), 1));
        assertThat(again).isEqualTo(ranked);
    }

    @Test
    void aRecordFiledUnderAWordTheQueryDidNotAskForIsIgnored() {
        found.put("holiday", List.of(record("other", id(1), "other.txt", ALICE)));
        assertThat(SearchRanking.candidates(List.of("holiday"), found)).isEmpty();
    }
}
