package org.kadshare.overlay.node;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files this node's own manifests under the words of their names and their user tags: one signed
 * keyword record per distinct word ({@link Keywords}; at most {@link Keywords#MAX_WORDS} from the
 * name and as many from the tags), which the DHT then republishes until the content is withdrawn.
 * A manifest another publisher signed (one fetched with a file) is not ours to file.
 */
final class KeywordPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KeywordPublisher.class);

    private final Dht dht;
    private final NodeIdentity identity;

    KeywordPublisher(Dht dht, NodeIdentity identity) {
        this.dht = dht;
        this.identity = identity;
    }

    /**
     * Publishes the keyword records of {@code manifest}, under its name's words and {@code tags}
     * (normalised tag words); how many words, 0 if it is not ours.
     */
    int publish(Manifest manifest, List<String> tags) {
        if (!Arrays.equals(manifest.publisherKey(), identity.publicKey())) {
            return 0;
        }
        Set<String> words = wordsOf(manifest, tags);
        for (String word : words) {
            dht.putKeyword(KeywordRecord.sign(word, manifest, identity)).exceptionally(e -> {
                LOG.debug("publishing the keyword \"{}\" of {} failed: {}", word, manifest.id(), e.toString());
                return 0;
            });
        }
        return words.size();
    }

    /** The words {@code manifest} is filed under: its name's, then the tags not among them. */
    static Set<String> wordsOf(Manifest manifest, List<String> tags) {
        Set<String> words = new LinkedHashSet<>(Keywords.of(manifest.name()));
        words.addAll(tags);
        return words;
    }
}
