package org.kadshare.overlay.node;

import java.util.Arrays;
import org.kadshare.overlay.runtime.Dht;
import org.kadshare.storage.KeywordRecord;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files this node's own manifests under the words of their names: one signed keyword record per
 * word ({@link Keywords}), which the DHT then republishes until the content is withdrawn. A
 * manifest another publisher signed (one fetched with a file) is not ours to file.
 */
final class KeywordPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(KeywordPublisher.class);

    private final Dht dht;
    private final NodeIdentity identity;

    KeywordPublisher(Dht dht, NodeIdentity identity) {
        this.dht = dht;
        this.identity = identity;
    }

    /** Publishes the keyword records of {@code manifest}; how many words it has, 0 if it is not ours. */
    int publish(Manifest manifest) {
        if (!Arrays.equals(manifest.publisherKey(), identity.publicKey())) {
            return 0;
        }
        int words = 0;
        for (String word : Keywords.of(manifest.name())) {
            dht.putKeyword(KeywordRecord.sign(word, manifest, identity)).exceptionally(e -> {
                LOG.debug("publishing the keyword \"{}\" of {} failed: {}", word, manifest.id(), e.toString());
                return 0;
            });
            words++;
        }
        return words;
    }
}
