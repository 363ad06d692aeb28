package org.kadshare.overlay.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.Manifest;

/**
 * Turns the keyword records found for each word of a query into ranked results: pure, no I/O.
 *
 * <p>Design note. Records are grouped by content ID. A content matches a query word when a
 * record was found under that word or when the word is one of its name's words (a popular word
 * returns only a few of its records, but every record carries the whole name, so the other words
 * can be checked here, as eMule's Kad does). Candidates are ordered by words matched, then by
 * distinct publishers; the caller looks up holders for the first few, and the final order puts
 * contents that nobody serves last, then words matched, publishers, holders, and name and ID so
 * that equal hits always come out in the same order.
 */
final class SearchRanking {
    /** A content found, before its holders are known. */
    record Candidate(ContentId id, Manifest manifest, int wordsMatched, int publishers) {}

    private static final Comparator<Candidate> CANDIDATES = Comparator
            .comparingInt((Candidate c) -> -c.wordsMatched())
            .thenComparingInt(c -> -c.publishers())
            .thenComparing(Candidate::id);

    private static final Comparator<SearchResult> RESULTS = Comparator
            .comparing((SearchResult r) -> r.holders() == 0)
            .thenComparingInt(r -> -r.wordsMatched())
            .thenComparingInt(r -> -r.publishers())
            .thenComparingInt(r -> -r.holders())
            .thenComparing(SearchResult::name)
            .thenComparing(SearchResult::id);

    private SearchRanking() {
    }

    /** The contents in {@code found} (records per query word), best first. */
    static List<Candidate> candidates(List<String> query, Map<String, List<KeywordRecord>> found) {
        Map<ContentId, Set<String>> matched = new TreeMap<>();
        Map<ContentId, Set<String>> publishers = new TreeMap<>();
        Map<ContentId, Map<String, Integer>> names = new TreeMap<>();
        Map<ContentId, Manifest> byName = new TreeMap<>();
        HexFormat hex = HexFormat.of();
        for (String word : query) {
            for (KeywordRecord r : found.getOrDefault(word, List.of())) {
                if (!r.word().equals(word)) {
                    continue;
                }
                Manifest m = r.manifest();
                ContentId id = m.id();
                Set<String> words = matched.computeIfAbsent(id, k -> new LinkedHashSet<>());
                words.add(word);
                List<String> nameWords = Keywords.of(m.name());
                for (String other : query) {
                    if (nameWords.contains(other)) {
                        words.add(other);
                    }
                }
                publishers.computeIfAbsent(id, k -> new LinkedHashSet<>()).add(hex.formatHex(m.publisherKey()));
                int count = names.computeIfAbsent(id, k -> new TreeMap<>()).merge(m.name(), 1, Integer::sum);
                Manifest chosen = byName.get(id);
                int chosenCount = chosen == null ? 0 : names.get(id).get(chosen.name());
                if (chosen == null || count > chosenCount
                        || (count == chosenCount && m.name().compareTo(chosen.name()) < 0)) {
                    byName.put(id, m);
                }
            }
        }
        List<Candidate> out = new ArrayList<>();
        for (Map.Entry<ContentId, Manifest> e : byName.entrySet()) {
            out.add(new Candidate(e.getKey(), e.getValue(), matched.get(e.getKey()).size(),
                    publishers.get(e.getKey()).size()));
        }
        out.sort(CANDIDATES);
        return out;
    }

    /** {@code candidates} with their holder counts ({@code holders}; absent is 0), best first. */
    static List<SearchResult> rank(List<Candidate> candidates, Map<ContentId, Integer> holders) {
        List<SearchResult> out = new ArrayList<>();
        for (Candidate c : candidates) {
            Manifest m = c.manifest();
            out.add(new SearchResult(c.id(), m.name(), m.lengthBytes(), m.mediaType(), c.wordsMatched(),
                    c.publishers(), holders.getOrDefault(c.id(), 0)));
        }
        out.sort(RESULTS);
        return out;
    }
}
