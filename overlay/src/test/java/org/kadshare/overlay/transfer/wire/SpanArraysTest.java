package org.kadshare.overlay.transfer.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

class SpanArraysTest {
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;

    @Test
    void anArrayGivenBackIsHandedOutAgainForASpanOfItsLength() {
        SpanArrays pool = new SpanArrays(1 << 20);
        byte[] first = pool.take(4 * L);
        pool.giveBack(first);
        assertThat(pool.pooledBytes()).isEqualTo(4 * L);
        assertThat(pool.take(2 * L)).as("another length gets a fresh array").isNotSameAs(first).hasSize(2 * L);
        assertThat(pool.take(4 * L)).isSameAs(first);
        assertThat(pool.pooledBytes()).isZero();
    }

    @Test
    void thePoolNeverKeepsMoreThanItsBoundAndTheRestIsLeftToTheCollector() {
        SpanArrays pool = new SpanArrays(3 * 64 * L);
        Set<byte[]> given = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 10; i++) {
            byte[] a = new byte[64 * L];
            given.add(a);
            pool.giveBack(a);
        }
        assertThat(pool.pooledBytes()).isEqualTo(3 * 64 * L);
        int reused = 0;
        for (int i = 0; i < 10; i++) {
            if (given.contains(pool.take(64 * L))) {
                reused++;
            }
        }
        assertThat(reused).isEqualTo(3);
        assertThat(pool.pooledBytes()).isZero();
    }

    @Test
    void aShortLastSpanOrAnOddLengthIsNeverKept() {
        SpanArrays pool = new SpanArrays(1 << 20);
        pool.giveBack(new byte[L + 100]);
        pool.giveBack(new byte[3 * L]);
        pool.giveBack(new byte[100]);
        assertThat(pool.pooledBytes()).isZero();
    }

    @Test
    void onlyADecodedSpanGivesItsArrayBackAndOnlyOnce() throws Exception {
        SpanProof proof = WireFixtures.proof(64L * L, 2, 1);
        int length = (int) proof.spanLengthBytes();
        drainShared();
        new Span(1, proof, new byte[length]).recycle();
        Span.adopting(1, proof, new byte[length]).recycle();
        assertThat(SpanArrays.shared().pooledBytes()).as("arrays the pool never handed out stay out").isZero();
        Span decoded = (Span) FrameCodec.decodeFrame(FrameCodec.encode(new Span(1, proof, new byte[length])));
        decoded.recycle();
        decoded.recycle();
        assertThat(SpanArrays.shared().pooledBytes()).as("a second recycle does not offer the array again")
                .isEqualTo(length);
    }

    /** Empties the shared pool (tests before this one may have filled it). */
    private static void drainShared() {
        for (int length = L; length <= Limits.MAX_SPAN_BYTES; length *= 2) {
            long before;
            do {
                before = SpanArrays.shared().pooledBytes();
                SpanArrays.shared().take(length);
            } while (SpanArrays.shared().pooledBytes() < before);
        }
    }

    @Test
    void aSpanDecodedIntoARecycledArrayCarriesExactlyItsOwnBytes() throws Exception {
        long length = 64L * L;
        SpanProof proof = WireFixtures.proof(length, 2, 3);
        byte[] first = new byte[(int) proof.spanLengthBytes()];
        byte[] second = new byte[first.length];
        new Random(1).nextBytes(first);
        new Random(2).nextBytes(second);
        Span a = (Span) FrameCodec.decodeFrame(FrameCodec.encode(new Span(1, proof, first)));
        assertThat(a.data()).isEqualTo(first);
        a.recycle();
        Span b = (Span) FrameCodec.decodeFrame(FrameCodec.encode(new Span(2, proof, second)));
        assertThat(b.data()).isEqualTo(second);
        b.recycle();
    }
}
