package org.kadshare.storage;

import java.io.IOException;

/**
 * Receives the leaf-hash layer of a file as {@link ContentHasher} produces it: leaf hashes
 * {@code 0, 1, ..., c-1} in order, one call each, always from the thread that called the hasher.
 * Lets a caller persist or forward the layer while memory stays constant whatever the file size.
 * {@link MerkleTree#builder(long)} is a sink that keeps the layer to build a tree.
 */
@FunctionalInterface
public interface LeafHashSink {

    /**
     * Takes leaf hash {@code leafIndex}; {@code leafHash} is a fresh 32-byte array the sink owns.
     * An exception stops the hashing and reaches the hasher's caller.
     */
    void accept(long leafIndex, byte[] leafHash) throws IOException;
}
