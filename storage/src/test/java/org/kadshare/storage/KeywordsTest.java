package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordsTest {

    @Test
    void aNameSplitsIntoLowerCaseWordsOnEveryNonLetterOrDigit() {
        assertThat(Keywords.of("Arq4 Final_Report-2024.TXT")).containsExactly("arq4", "final", "report", "2024", "txt");
    }

    @Test
    void fullWidthAndCompatibilityFormsNormaliseToThePlainWord() {
        assertThat(Keywords.of("ＡＲＱ４.ｔｘｔ")).containsExactly("arq4", "txt");
        assertThat(Keywords.of("ﬁle")).containsExactly("file");
    }

    @Test
    void lettersOfOtherScriptsAreWordsToo() {
        assertThat(Keywords.of("Größe Straße 東京タワー")).containsExactly("größe", "straße", "東京タワー");
    }

    @Test
    void wordsShorterThanThreeOrLongerThanFortyCodePointsAreDropped() {
        String longWord = "a".repeat(Keywords.MAX_WORD_CODE_POINTS + 1);
        String longest = "b".repeat(Keywords.MAX_WORD_CODE_POINTS);
        assertThat(Keywords.of("a of the " + longWord + " " + longest)).containsExactly("the", longest);
    }

    @Test
    void repeatsAreKeptOnceAndAtMostTwelveWordsAreTaken() {
        assertThat(Keywords.of("cat Cat CAT dog")).containsExactly("cat", "dog");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            many.append("word").append((char) ('a' + i % 26)).append(i / 26).append(' ');
        }
        assertThat(Keywords.of(many.toString())).hasSize(Keywords.MAX_WORDS).startsWith("worda0");
    }

    @Test
    void aNameOfOnlyShortWordsOrPunctuationHasNoWords() {
        assertThat(Keywords.of("a.b-c")).isEmpty();
        assertThat(Keywords.of("../..\u0000\n")).isEmpty();
    }

    @Test
    void onlyANormalisedWordHasAKeyAndEqualWordsShareIt() {
        assertThat(Keywords.dhtKey("arq4")).hasSize(Keywords.KEY_LENGTH_BYTES).isEqualTo(Keywords.dhtKey(
                Keywords.of("ARQ4").get(0)));
        assertThat(Keywords.dhtKey("arq4")).isNotEqualTo(Keywords.dhtKey("arq5"));
        assertThatThrownBy(() -> Keywords.dhtKey("Arq4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keywords.dhtKey("two words")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tagsAreNormalisedLikeNameWordsAndASeveralWordTagGivesEachWord() {
        assertThat(Keywords.tags(List.of("Holiday2026", "ＢＥＡＣＨ", "New York", "beach"))).containsExactly(
                "holiday2026", "beach", "new", "york");
        assertThat(Keywords.tags(List.of())).isEmpty();
    }

    @Test
    void aTagWithNoSearchableWordIsRefusedNamingIt() {
        assertThatThrownBy(() -> Keywords.tags(List.of("holiday", "a.b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"a.b\" has no searchable word");
        assertThatThrownBy(() -> Keywords.tags(List.of("x\n\u0000"))).hasMessageContaining("\"x??\"");
        assertThatThrownBy(() -> Keywords.tags(List.of("-".repeat(10_000))))
                .hasMessageContaining("-".repeat(Keywords.MAX_WORD_CODE_POINTS) + "...\"");
    }

    @Test
    void moreTagWordsThanTheCapAreRefusedAndTheCapItselfIsAccepted() {
        List<String> atCap = new java.util.ArrayList<>();
        for (int i = 0; i < Keywords.MAX_WORDS; i++) {
            atCap.add("tag" + i);
        }
        assertThat(Keywords.tags(atCap)).hasSize(Keywords.MAX_WORDS);
        List<String> over = new java.util.ArrayList<>(atCap);
        over.add("one more");
        assertThatThrownBy(() -> Keywords.tags(over)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + Keywords.MAX_WORDS + " tag words");
    }
}
