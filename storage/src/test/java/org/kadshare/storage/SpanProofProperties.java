package org.kadshare.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

class SpanProofProperties {
    private static final int H = MerkleTree.HASH_LENGTH_BYTES;
    private static ContentHasher hasher;

    @BeforeContainer
    static void startHasher() {
        hasher = new ContentHasher(2);
    }

    @AfterContainer
    static void stopHasher() {
        hasher.close();
    }

    @Provide
    Arbitrary<byte[]> files() {
        return Contents.files();
    }

    @Provide
    Arbitrary<byte[]> smallFiles() {
        return Contents.smallFiles();
    }

    @Property(tries = 25)
    void everySpanAtEveryHeightVerifiesWithItsProof(@ForAll("files") byte[] data) {
        MerkleTree tree = hasher.hash(data);
        for (int h = 0; h <= tree.height(); h++) {
            for (long j = 0; j <= (tree.leafCount() - 1) >>> h; j++) {
                SpanProof proof = tree.proof(h, j);
                assertThat(proof.siblingHashes()).hasSize((tree.height() - h) * H);
                assertThat(SpanVerifier.verifyData(tree.contentId(), proof, Contents.span(data, proof)))
                        .as("data of span (%d, %d)", h, j).isTrue();
                byte[] leaves = tree.leafHashes(proof.firstLeaf(), (int) proof.leafCount());
                assertThat(SpanVerifier.verifyLeafHashes(tree.contentId(), proof, leaves))
                        .as("leaf hashes of span (%d, %d)", h, j).isTrue();
            }
        }
    }

    @Property(tries = 40)
    void spansCoverTheFileExactlyOncePerHeight(@ForAll("smallFiles") byte[] data) {
        MerkleTree tree = hasher.hash(data);
        for (int h = 0; h <= tree.height(); h++) {
            long covered = 0;
            for (long j = 0; j <= (tree.leafCount() - 1) >>> h; j++) {
                SpanProof proof = tree.proof(h, j);
                assertThat(proof.offsetBytes()).isEqualTo(covered);
                covered += proof.spanLengthBytes();
            }
            assertThat(covered).isEqualTo(data.length);
        }
    }

    @Property(tries = 40)
    void flippingAnyDataByteFailsVerification(@ForAll("smallFiles") byte[] data,
                                               @ForAll @IntRange(min = 0, max = 49) int heightChoice,
                                               @ForAll long spanChoice, @ForAll int byteChoice,
                                               @ForAll @IntRange(min = 0, max = 7) int bit) {
        MerkleTree tree = hasher.hash(data);
        SpanProof proof = someSpan(tree, heightChoice, spanChoice);
        byte[] span = Contents.span(data, proof);
        if (span.length == 0) {
            return;
        }
        span[Math.floorMod(byteChoice, span.length)] ^= (byte) (1 << bit);
        assertThat(SpanVerifier.verifyData(tree.contentId(), proof, span)).isFalse();
    }

    @Property(tries = 40)
    void flippingAnyProofByteFailsVerification(@ForAll("smallFiles") byte[] data,
                                                @ForAll @IntRange(min = 0, max = 49) int heightChoice,
                                                @ForAll long spanChoice) {
        MerkleTree tree = hasher.hash(data);
        SpanProof proof = someSpan(tree, heightChoice, spanChoice);
        byte[] span = Contents.span(data, proof);
        byte[] leaves = tree.leafHashes(proof.firstLeaf(), (int) proof.leafCount());
        byte[] siblings = proof.siblingHashes();
        for (int i = 0; i < siblings.length; i++) {
            for (int bit = 0; bit < 8; bit += 7) {
                byte[] flipped = siblings.clone();
                flipped[i] ^= (byte) (1 << bit);
                SpanProof bad = new SpanProof(proof.lengthBytes(), proof.height(), proof.index(), flipped);
                assertThat(SpanVerifier.verifyData(tree.contentId(), bad, span)).isFalse();
                assertThat(SpanVerifier.verifyLeafHashes(tree.contentId(), bad, leaves)).isFalse();
            }
        }
        for (int i = 0; i < leaves.length; i++) {
            byte[] flipped = leaves.clone();
            flipped[i] ^= 1;
            assertThat(SpanVerifier.verifyLeafHashes(tree.contentId(), proof, flipped)).isFalse();
        }
        byte[] id = tree.contentId().toBytes();
        id[0] ^= 1;
        assertThat(SpanVerifier.verifyData(ContentId.of(id), proof, span)).isFalse();
    }

    @Property(tries = 30)
    void proofOfOneSpanNeverVerifiesAnotherSpan(@ForAll("smallFiles") byte[] data) {
        MerkleTree tree = hasher.hash(data);
        for (int h1 = 0; h1 <= tree.height(); h1++) {
            for (long j1 = 0; j1 <= (tree.leafCount() - 1) >>> h1; j1++) {
                SpanProof proof = tree.proof(h1, j1);
                for (int h2 = 0; h2 <= tree.height(); h2++) {
                    for (long j2 = 0; j2 <= (tree.leafCount() - 1) >>> h2; j2++) {
                        if (h1 == h2 && j1 == j2) {
                            continue;
                        }
                        SpanProof other = tree.proof(h2, j2);
                        if (other.offsetBytes() == proof.offsetBytes()
                                && other.spanLengthBytes() == proof.spanLengthBytes()) {
                            continue; // a clipped last span holding exactly the same bytes
                        }
                        byte[] otherSpan = Contents.span(data, other);
                        byte[] otherLeaves = tree.leafHashes(other.firstLeaf(), (int) other.leafCount());
                        assertThat(SpanVerifier.verifyData(tree.contentId(), proof, otherSpan))
                                .as("proof (%d,%d) on data of (%d,%d)", h1, j1, h2, j2).isFalse();
                        assertThat(SpanVerifier.verifyLeafHashes(tree.contentId(), proof, otherLeaves))
                                .as("proof (%d,%d) on leaf hashes of (%d,%d)", h1, j1, h2, j2).isFalse();
                        if (h1 == h2) {
                            SpanProof moved = new SpanProof(data.length, h2, j2, proof.siblingHashes());
                            byte[] ownSpan = Contents.span(data, proof);
                            assertThat(SpanVerifier.verifyData(tree.contentId(), moved, ownSpan))
                                    .as("siblings of (%d,%d) relabelled as index %d", h1, j1, j2).isFalse();
                            assertThat(SpanVerifier.verifyData(tree.contentId(), moved, otherSpan))
                                    .as("siblings of (%d,%d) on the data of index %d", h1, j1, j2).isFalse();
                        }
                    }
                }
            }
        }
    }

    @Property(tries = 30)
    void proofWithTheWrongSiblingCountIsRejected(@ForAll("smallFiles") byte[] data,
                                                 @ForAll @IntRange(min = 0, max = 49) int heightChoice,
                                                 @ForAll long spanChoice) {
        MerkleTree tree = hasher.hash(data);
        SpanProof proof = someSpan(tree, heightChoice, spanChoice);
        byte[] siblings = proof.siblingHashes();
        byte[] longer = Arrays.copyOf(siblings, siblings.length + H);
        assertThatThrownBy(() -> new SpanProof(data.length, proof.height(), proof.index(), longer))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sibling hashes");
        if (siblings.length > 0) {
            byte[] shorter = Arrays.copyOf(siblings, siblings.length - H);
            assertThatThrownBy(() -> new SpanProof(data.length, proof.height(), proof.index(), shorter))
                    .isInstanceOf(IllegalArgumentException.class);
            byte[] ragged = Arrays.copyOf(siblings, siblings.length - 1);
            assertThatThrownBy(() -> new SpanProof(data.length, proof.height(), proof.index(), ragged))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 30)
    void proofClaimingAnotherFileLengthFails(@ForAll("smallFiles") byte[] data,
                                             @ForAll @IntRange(min = 1, max = 3 * Contents.L) int extraBytes) {
        MerkleTree tree = hasher.hash(data);
        SpanProof proof = tree.proof(0, 0);
        long otherLength = data.length + extraBytes;
        int siblings = SpanProof.siblingCount(otherLength, 0);
        byte[] path = Arrays.copyOf(proof.siblingHashes(), siblings * H);
        SpanProof lying = new SpanProof(otherLength, 0, 0, path);
        byte[] span = Arrays.copyOf(data, (int) lying.spanLengthBytes());
        assertThat(SpanVerifier.verifyData(tree.contentId(), lying, span)).isFalse();
    }

    @Property(tries = 200)
    void verifierNeverThrowsOnArbitraryInput(@ForAll @IntRange(min = 0, max = 40 * Contents.L) int length,
                                            @ForAll @IntRange(min = 0, max = 49) int heightChoice,
                                            @ForAll long spanChoice, @ForAll long seed,
                                            @ForAll @IntRange(min = -2, max = 2) int lengthError) {
        Random random = new Random(seed);
        int height = heightChoice % (MerkleTree.treeHeight(length) + 1);
        long index = Math.floorMod(spanChoice, ((MerkleTree.leafCount(length) - 1) >>> height) + 1);
        byte[] siblings = new byte[SpanProof.siblingCount(length, height) * H];
        random.nextBytes(siblings);
        SpanProof proof = new SpanProof(length, height, index, siblings);
        byte[] idBytes = new byte[32];
        random.nextBytes(idBytes);
        ContentId id = ContentId.of(idBytes);
        byte[] data = new byte[(int) Math.max(0, proof.spanLengthBytes() + lengthError)];
        random.nextBytes(data);
        byte[] leaves = new byte[(int) Math.max(0, proof.leafCount() * H + lengthError)];
        assertThat(SpanVerifier.verifyData(id, proof, data)).isFalse();
        assertThat(SpanVerifier.verifyData(id, proof, ByteBuffer.wrap(data))).isFalse();
        assertThat(SpanVerifier.verifyLeafHashes(id, proof, leaves)).isFalse();
        assertThat(SpanVerifier.verifyData(null, proof, data)).isFalse();
        assertThat(SpanVerifier.verifyData(id, null, data)).isFalse();
        assertThat(SpanVerifier.verifyData(id, proof, (byte[]) null)).isFalse();
        assertThat(SpanVerifier.verifyLeafHashes(id, proof, null)).isFalse();
        assertThat(SpanVerifier.verifyLeaf(null, ByteBuffer.wrap(data))).isFalse();
        assertThat(SpanVerifier.verifyLeaf(idBytes, null)).isFalse();
        assertThat(SpanVerifier.verifyLeaf(new byte[5], ByteBuffer.wrap(data))).isFalse();
    }

    @Property(tries = 30)
    void eachLeafOfDataMatchesItsLeafHash(@ForAll("smallFiles") byte[] data) {
        MerkleTree tree = hasher.hash(data);
        for (long i = 0; i < tree.leafCount(); i++) {
            SpanProof leaf = tree.proof(0, i);
            ByteBuffer bytes = ByteBuffer.wrap(Contents.span(data, leaf));
            assertThat(SpanVerifier.verifyLeaf(tree.leafHash(i), bytes)).isTrue();
            assertThat(bytes.position()).isZero();
            if (i + 1 < tree.leafCount()) {
                assertThat(SpanVerifier.verifyLeaf(tree.leafHash(i + 1), bytes)).isFalse();
            }
        }
    }

    private static SpanProof someSpan(MerkleTree tree, int heightChoice, long spanChoice) {
        int h = heightChoice % (tree.height() + 1);
        long spans = ((tree.leafCount() - 1) >>> h) + 1;
        return tree.proof(h, Math.floorMod(spanChoice, spans));
    }
}
