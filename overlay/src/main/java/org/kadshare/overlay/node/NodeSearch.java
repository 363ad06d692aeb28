package org.kadshare.overlay.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.Keywords;

/**
 * A keyword search: looks up every normalised word of the query in the DHT at once, ranks what
 * comes back ({@link SearchRanking}), looks up the holders of the best {@link #MAX_RESULTS}
 * contents at once, and ranks those again with their holder counts.
 */
final class NodeSearch {
    /** Most results returned, and holder lookups made, per search. */
    static final int MAX_RESULTS = 20;

    private NodeSearch() {
    }

    /**
     * The results for {@code query}, best first.
     *
     * @throws IllegalArgumentException if the query has no searchable word
     */
    static CompletableFuture<List<SearchResult>> run(Dht dht, String query) {
        List<String> words = Keywords.of(query);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("no searchable word in \"" + query + "\": words are runs of letters or"
                    + " digits of " + Keywords.MIN_WORD_CODE_POINTS + " to " + Keywords.MAX_WORD_CODE_POINTS
                    + " characters");
        }
        Map<String, CompletableFuture<List<KeywordRecord>>> lookups = new LinkedHashMap<>();
        for (String word : words) {
            lookups.put(word, dht.findKeywords(word));
        }
        return CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)).thenCompose(done -> {
            Map<String, List<KeywordRecord>> found = new LinkedHashMap<>();
            lookups.forEach((word, f) -> found.put(word, f.join()));
            List<SearchRanking.Candidate> best = SearchRanking.candidates(words, found);
            List<SearchRanking.Candidate> top = new ArrayList<>(best.subList(0, Math.min(MAX_RESULTS, best.size())));
            Map<ContentId, CompletableFuture<Integer>> holders = new LinkedHashMap<>();
            for (SearchRanking.Candidate c : top) {
                holders.put(c.id(), dht.findHolders(c.id()).thenApply(a -> new HashSet<>(a).size())
                        .exceptionally(e -> 0));
            }
            return CompletableFuture.allOf(holders.values().toArray(CompletableFuture[]::new)).thenApply(all -> {
                Map<ContentId, Integer> counts = new LinkedHashMap<>();
                holders.forEach((id, f) -> counts.put(id, f.join()));
                return SearchRanking.rank(top, counts);
            });
        });
    }
}
