package org.kadshare.simulations.swarm;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.kadshare.overlay.transfer.wire.Hashes;
import org.kadshare.overlay.transfer.wire.Span;
import org.kadshare.storage.ContentHasher;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/**
 * The one file of a swarm: real bytes and their Merkle tree, so the leaf layer a getter fetches
 * verifies against the ID as in a real run. Span replies share one array per span (the
 * simulator never changes them), so a thousand getters cost no more memory than one.
 */
final class SwarmFile {
    private final byte[] content;
    private final MerkleTree tree;
    private final TreeMap<Long, byte[]> spanBytes = new TreeMap<>();

    SwarmFile(int lengthBytes, long seed) {
        content = new byte[lengthBytes];
        new SplittableRandom(seed).nextBytes(content);
        try (ContentHasher hasher = new ContentHasher(1)) {
            tree = hasher.hash(content);
        }
    }

    ContentId id() {
        return tree.contentId();
    }

    long lengthBytes() {
        return tree.lengthBytes();
    }

    int leafCount() {
        return (int) tree.leafCount();
    }

    SpanProof proof(int height, long index) {
        return tree.proof(height, index);
    }

    Span span(int height, long index) {
        SpanProof proof = tree.proof(height, index);
        byte[] data = spanBytes.computeIfAbsent(((long) height << 48) | index, k -> Arrays.copyOfRange(content,
                (int) proof.offsetBytes(), (int) (proof.offsetBytes() + proof.spanLengthBytes())));
        return Span.adopting(1, proof, data);
    }

    Hashes hashes(int height, long index) {
        SpanProof proof = tree.proof(height, index);
        return new Hashes(1, proof, tree.leafHashes(proof.firstLeaf(), (int) proof.leafCount()));
    }
}
