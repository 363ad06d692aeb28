package org.kadshare.overlay.node;

import java.util.Objects;
import org.kadshare.storage.ContentId;

/**
 * One hit of a keyword search: a content, the name and media type its publishers gave it, and
 * how well it matched.
 *
 * @param id           the content ID, ready for {@code get}
 * @param name         the name most of its publishers gave it
 * @param lengthBytes  its length
 * @param mediaType    its media type
 * @param wordsMatched how many of the query's words it matched
 * @param publishers   distinct publisher keys that filed it under the query's words
 * @param holders      holders the DHT knows for it now (0: nobody serves it)
 */
public record SearchResult(ContentId id, String name, long lengthBytes, String mediaType, int wordsMatched,
                           int publishers, int holders) {
    /** Checks presence and that the counts are not negative. */
    public SearchResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        if (wordsMatched < 0 || publishers < 0 || holders < 0) {
            throw new IllegalArgumentException("search counts must not be negative: words=" + wordsMatched
                    + " publishers=" + publishers + " holders=" + holders);
        }
    }
}
