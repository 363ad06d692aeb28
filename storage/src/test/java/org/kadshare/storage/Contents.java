package org.kadshare.storage;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random file contents for properties, with sizes around every leaf and chunk boundary. */
final class Contents {
    static final int L = MerkleTree.LEAF_SIZE_BYTES;

    private Contents() {
    }

    /** Sizes 0, 1, L-1, L, L+1, a few leaves, around the 64-leaf chunk, and random up to 140 leaves. */
    static Arbitrary<byte[]> files() {
        Arbitrary<Integer> edges = Arbitraries.of(0, 1, 2, L - 1, L, L + 1, 2 * L, 3 * L + 5, 5 * L,
                7 * L - 1, 64 * L - 1, 64 * L, 64 * L + 1, 65 * L + 7, 129 * L + 3);
        Arbitrary<Integer> random = Arbitraries.integers().between(0, 140 * L);
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, edges), net.jqwik.api.Tuple.of(1, random));
        return Combinators.combine(sizes, Arbitraries.longs()).as(Contents::random);
    }

    /** Sizes up to 12 leaves, for properties that try many spans. */
    static Arbitrary<byte[]> smallFiles() {
        Arbitrary<Integer> edges = Arbitraries.of(0, 1, L - 1, L, L + 1, 2 * L, 3 * L + 5, 5 * L, 8 * L, 9 * L + 1);
        Arbitrary<Integer> sizes = Arbitraries.oneOf(edges, Arbitraries.integers().between(0, 12 * L));
        return Combinators.combine(sizes, Arbitraries.longs()).as(Contents::random);
    }

    static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    static byte[] span(byte[] data, SpanProof proof) {
        int from = (int) proof.offsetBytes();
        return java.util.Arrays.copyOfRange(data, from, from + (int) proof.spanLengthBytes());
    }
}
