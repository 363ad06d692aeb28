package org.kadshare.overlay.dht;

import java.util.List;

/**
 * What a BEP 51 crawl ({@link DhtNode#sampleKeys}) found: the keys sampled, most reported first,
 * and what the crawl cost.
 *
 * @param keys          the keys, each with how many nodes (this one included) reported it
 * @param queries       sample_infohashes queries sent
 * @param answered      queries answered with a sample
 * @param nodesSeen     distinct nodes the crawl heard of (asked or not)
 * @param storedReported the sum of the "num" the answering nodes gave: keys stored by the nodes asked
 */
public record SampledKeys(List<Key> keys, int queries, int answered, int nodesSeen, long storedReported) {
    /** Copies the list. */
    public SampledKeys {
        keys = List.copyOf(keys);
    }

    /** A sampled key and how many nodes reported it. */
    public record Key(NodeId key, int reports) {}
}
