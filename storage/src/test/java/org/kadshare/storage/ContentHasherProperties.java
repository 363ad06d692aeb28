package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class ContentHasherProperties {
    private static final int[] THREAD_COUNTS = {1, 2, 3, 8};
    private static final List<ContentHasher> HASHERS = new ArrayList<>();

    @BeforeContainer
    static void startHashers() {
        for (int threads : THREAD_COUNTS) {
            HASHERS.add(new ContentHasher(threads));
        }
    }

    @AfterContainer
    static void stopHashers() {
        HASHERS.forEach(ContentHasher::close);
        HASHERS.clear();
    }

    @Provide
    Arbitrary<byte[]> files() {
        return Contents.files();
    }

    @Property(tries = 25)
    void idMatchesTheNaiveReferenceConstruction(@ForAll("files") byte[] data) {
        MerkleTree tree = HASHERS.get(1).hash(data);
        assertThat(tree.contentId().toBytes()).isEqualTo(ReferenceContentId.id(data));
        assertThat(tree.lengthBytes()).isEqualTo(data.length);
        for (long i = 0; i < tree.leafCount(); i++) {
            assertThat(tree.leafHash(i)).isEqualTo(ReferenceContentId.leafHash(data, i));
        }
    }

    @Property(tries = 20)
    void idIsTheSameForEveryThreadCountAndForFileAndMemory(@ForAll("files") byte[] data) throws IOException {
        Path file = Files.createTempFile("kadshare-hash", ".bin");
        try {
            Files.write(file, data);
            ContentId expected = HASHERS.get(0).hash(data).contentId();
            for (ContentHasher hasher : HASHERS) {
                assertThat(hasher.hash(data).contentId()).as("memory, %d threads", hasher.threads())
                        .isEqualTo(expected);
                assertThat(hasher.hash(file).contentId()).as("file, %d threads", hasher.threads())
                        .isEqualTo(expected);
                assertThat(hasher.hash(file).contentId()).as("file again, %d threads", hasher.threads())
                        .isEqualTo(expected);
            }
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 15)
    void streamingSinkReceivesEveryLeafHashInOrder(@ForAll("files") byte[] data) throws IOException {
        Path file = Files.createTempFile("kadshare-hash", ".bin");
        try {
            Files.write(file, data);
            MerkleTree tree = HASHERS.get(0).hash(data);
            for (ContentHasher hasher : HASHERS) {
                List<Long> indexes = new ArrayList<>();
                ByteBuffer layer = ByteBuffer.allocate((int) tree.leafCount() * MerkleTree.HASH_LENGTH_BYTES);
                ContentDigest digest = hasher.hash(file, (index, hash) -> {
                    indexes.add(index);
                    layer.put(hash);
                });
                assertThat(digest).isEqualTo(new ContentDigest(tree.contentId(), data.length));
                assertThat(indexes).hasSize((int) tree.leafCount());
                for (int i = 0; i < indexes.size(); i++) {
                    assertThat(indexes.get(i)).isEqualTo(i);
                }
                assertThat(layer.array()).isEqualTo(tree.leafHashes(0, (int) tree.leafCount()));
            }
        } finally {
            Files.delete(file);
        }
    }

    @Property(tries = 20)
    void treeRebuiltFromLeafHashesIsTheSameTree(@ForAll("files") byte[] data) {
        MerkleTree tree = HASHERS.get(1).hash(data);
        MerkleTree rebuilt = MerkleTree.fromLeafHashes(data.length, tree.leafHashes(0, (int) tree.leafCount()));
        assertThat(rebuilt.contentId()).isEqualTo(tree.contentId());
        assertThat(rebuilt.root()).isEqualTo(tree.root());
    }

    @Property(tries = 20)
    void hashingMemoryLeavesTheBufferPositionAlone(@ForAll("files") byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(data.length + 7);
        buffer.position(7);
        buffer.put(data).position(7);
        MerkleTree tree = HASHERS.get(2).hash(buffer);
        assertThat(buffer.position()).isEqualTo(7);
        assertThat(tree.contentId().toBytes()).isEqualTo(ReferenceContentId.id(data));
    }
}
