package org.kadshare.overlay.transfer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ResourceLeakDetector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.SpanProof;

/** How a downloader's decoder takes SPAN frames in: each data byte copied once, into a pooled array. */
class SpanDecodingTest {
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;
    /** A span of 4 whole leaves (a size the pool keeps) of an 8-leaf file. */
    private static final SpanProof PROOF = WireFixtures.proof(8L * L, 2, 1);
    private static final byte[] DATA = WireFixtures.bytes(4 * L, 17);

    private ResourceLeakDetector.Level level;
    private final PooledByteBufAllocator alloc = new PooledByteBufAllocator(true);
    private final List<ByteBuf> given = new ArrayList<>();

    @BeforeEach
    void paranoid() {
        level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(level);
    }

    /** {@code bytes} cut into pooled direct buffers of {@code piece} bytes, as socket reads arrive. */
    private List<ByteBuf> reads(byte[] bytes, int piece) {
        List<ByteBuf> out = new ArrayList<>();
        for (int from = 0; from < bytes.length; from += piece) {
            int n = Math.min(piece, bytes.length - from);
            ByteBuf b = alloc.directBuffer(n).writeBytes(bytes, from, n);
            given.add(b);
            out.add(b);
        }
        return out;
    }

    private void assertEveryReadReleased() {
        assertThat(given).allSatisfy(b -> assertThat(b.refCnt()).as("a buffer the decoder was given").isZero());
    }

    @Test
    void aSpanInReadsOfAnySizeIsDecodedIntoAPooledArrayAndTheFramesAroundItStillDecode() {
        byte[] wire = concat(FrameCodec.encode(new Cancel(4)), FrameCodec.encode(new Span(7, PROOF, DATA)),
                FrameCodec.encode(new Have(List.of(new LeafRange(0, 2)))));
        for (int piece : new int[] {1, 13, 1_000, 4 * L, wire.length}) {
            SpanArrays pool = new SpanArrays(1L << 20);
            byte[] kept = new byte[DATA.length];
            pool.giveBack(kept);
            EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(pool));
            for (ByteBuf read : reads(wire, piece)) {
                in.writeInbound(read);
            }
            assertThat((Object) in.readInbound()).isEqualTo(new Cancel(4));
            Span span = in.readInbound();
            assertThat(span).as("reads of %d bytes", piece).isEqualTo(new Span(7, PROOF, DATA));
            assertThat(span.dataArray()).as("the pool's array, filled in place").isSameAs(kept);
            assertThat(pool.pooledBytes()).isZero();
            assertThat((Object) in.readInbound()).isEqualTo(new Have(List.of(new LeafRange(0, 2))));
            assertThat(in.finishAndReleaseAll()).isFalse();
        }
        assertEveryReadReleased();
    }

    @Test
    void aPartlyReceivedSpanCountsAsBufferedAndALinkDroppedMidSpanGivesItsArrayBack() {
        byte[] frame = FrameCodec.encode(new Span(7, PROOF, DATA));
        SpanArrays pool = new SpanArrays(1L << 20);
        EmbeddedChannel in = new EmbeddedChannel();
        FrameDecoder decoder = new FrameDecoder(pool);
        in.pipeline().addLast(decoder);
        List<ByteBuf> pieces = reads(frame, 1_000);
        for (ByteBuf read : pieces.subList(0, 5)) {
            in.writeInbound(read);
        }
        assertThat((Object) in.readInbound()).isNull();
        assertThat(decoder.bufferedBytes()).isEqualTo(5_000);
        in.close();
        assertThat(pool.pooledBytes()).as("the partly filled array is back in the pool").isEqualTo(DATA.length);
        for (ByteBuf unread : pieces.subList(5, pieces.size())) {
            unread.release();
        }
        assertEveryReadReleased();
    }

    @Test
    void aSpanWhoseLengthDoesNotMatchItsProofIsRefusedOnceItsHeadIsInAndNothingIsKept() {
        byte[] frame = FrameCodec.encode(new Span(7, PROOF, DATA));
        ByteBuffer.wrap(frame).putInt(0, frame.length - 4 - 1); // one data byte less than the proof says
        SpanArrays pool = new SpanArrays(1L << 20);
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder(pool));
        List<ByteBuf> pieces = reads(frame, 200);
        assertThatThrownBy(() -> in.writeInbound(pieces.get(0))).isInstanceOf(DecoderException.class)
                .satisfies(e -> assertThat(FrameDecoder.frameException(e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
        for (ByteBuf rest : pieces.subList(1, pieces.size())) {
            in.writeInbound(rest);
        }
        assertThat((Object) in.readInbound()).as("everything after a bad frame is discarded").isNull();
        assertThat(pool.pooledBytes()).isZero();
        in.finishAndReleaseAll();
        assertEveryReadReleased();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }
}
