package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Files and stores for the block store tests. */
final class StoreFixtures {
    static final int L = MerkleTree.LEAF_SIZE_BYTES;
    private static final ContentHasher HASHER = new ContentHasher(1);

    private StoreFixtures() {
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static Path writeFile(Path dir, String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    static BlockStore open(Path dir, StoreConfig config, FaultyDisk disk) throws IOException {
        return BlockStore.open(dir, config, HASHER::hash, disk);
    }

    static MerkleTree treeOf(byte[] content) {
        return HASHER.hash(content);
    }

    static byte[] leafLayer(MerkleTree tree) {
        return tree.leafHashes(0, (int) tree.leafCount());
    }
}
