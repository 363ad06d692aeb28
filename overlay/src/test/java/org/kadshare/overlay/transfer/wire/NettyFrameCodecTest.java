package org.kadshare.overlay.transfer.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.FileRegion;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NettyFrameCodecTest {

    @Test
    void framesWrittenByTheEncoderAreReadBackByTheDecoder() {
        EmbeddedChannel out = new EmbeddedChannel(new FrameEncoder());
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder());
        for (Frame frame : WireFixtures.everyFrame()) {
            assertThat(out.writeOutbound(frame)).isTrue();
        }
        ByteBuf wire = Unpooled.buffer();
        for (Object piece; (piece = out.readOutbound()) != null; ) {
            wire.writeBytes((ByteBuf) piece);
            ((ByteBuf) piece).release();
        }
        while (wire.isReadable()) {
            in.writeInbound(wire.readRetainedSlice(Math.min(7, wire.readableBytes())));
        }
        wire.release();
        List<Frame> read = new ArrayList<>();
        for (Object f; (f = in.readInbound()) != null; ) {
            read.add((Frame) f);
        }
        assertThat(read).containsExactlyElementsOf(WireFixtures.everyFrame());
    }

    @Test
    void anOversizedPrefixFailsAtOnceWithoutWaitingForThePayload() {
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder());
        ByteBuf prefix = Unpooled.buffer().writeInt(Limits.MAX_FRAME_LENGTH_BYTES + 1);
        assertThatThrownBy(() -> in.writeInbound(prefix)).isInstanceOf(DecoderException.class)
                .satisfies(e -> assertThat(FrameDecoder.frameException(e).code()).isEqualTo(ErrorCode.TOO_LARGE));
    }

    @Test
    void aPartlyReceivedLargeFrameTakesMemoryForTheBytesReceivedNotForItsDeclaredLength() {
        FrameDecoder decoder = new FrameDecoder(new CountingBudget(64L << 20), System::nanoTime);
        EmbeddedChannel in = new EmbeddedChannel(decoder);
        in.writeInbound(Unpooled.buffer().writeInt(Limits.MAX_FRAME_LENGTH_BYTES).writeByte(FrameType.SPAN.code()));
        int received = 5;
        byte[] chunk = new byte[64 * 1024];
        while (received < (3 << 20)) {
            in.writeInbound(Unpooled.wrappedBuffer(chunk));
            received += chunk.length;
        }
        assertThat(decoder.bufferedBytes()).isEqualTo(received);
        assertThat(decoder.bufferedCapacityBytes()).as("bytes allocated for %d received", received)
                .isLessThanOrEqualTo(received + chunk.length);
        assertThat(decoder.partialFrameStartNanos()).isPositive();
        in.finishAndReleaseAll();
    }

    @Test
    void aLargeFramePastTheSharedBudgetIsRefusedWithBusyAndAClosedConnectionGivesItsShareBack() {
        CountingBudget budget = new CountingBudget(Limits.MAX_FRAME_LENGTH_BYTES + 1_000);
        EmbeddedChannel first = new EmbeddedChannel(new FrameDecoder(budget, System::nanoTime));
        first.writeInbound(Unpooled.buffer().writeInt(Limits.MAX_FRAME_LENGTH_BYTES).writeByte(1));
        assertThat(budget.reserved).isEqualTo(Limits.MAX_FRAME_LENGTH_BYTES);
        EmbeddedChannel second = new EmbeddedChannel(new FrameDecoder(budget, System::nanoTime));
        second.writeInbound(Unpooled.wrappedBuffer(FrameCodec.encode(new Cancel(9))));
        assertThat((Object) second.readInbound()).as("small frames need no budget").isEqualTo(new Cancel(9));
        ByteBuf large = Unpooled.buffer().writeInt(FrameBudget.UNBUDGETED_FRAME_BYTES + 1).writeByte(1);
        assertThatThrownBy(() -> second.writeInbound(large)).isInstanceOf(DecoderException.class)
                .satisfies(e -> assertThat(FrameDecoder.frameException(e).code()).isEqualTo(ErrorCode.BUSY));
        first.close();
        assertThat(budget.reserved).isZero();
    }

    /** A budget that counts what is reserved. */
    private static final class CountingBudget implements FrameBudget {
        private final long limit;
        private long reserved;

        CountingBudget(long limit) {
            this.limit = limit;
        }

        @Override
        public boolean reserve(int bytes) {
            if (reserved + bytes > limit) {
                return false;
            }
            reserved += bytes;
            return true;
        }

        @Override
        public void release(int bytes) {
            reserved -= bytes;
        }
    }

    @Test
    void afterABadFrameEverythingElseOnTheConnectionIsDiscarded() {
        EmbeddedChannel in = new EmbeddedChannel(new FrameDecoder());
        ByteBuf garbage = Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 1, 0x55});
        assertThatThrownBy(() -> in.writeInbound(garbage)).isInstanceOf(DecoderException.class)
                .satisfies(e -> assertThat(FrameDecoder.frameException(e).code()).isEqualTo(ErrorCode.BAD_REQUEST));
        in.writeInbound(Unpooled.wrappedBuffer(FrameCodec.encode(new Cancel(3))));
        assertThat((Object) in.readInbound()).isNull();
    }

    @Test
    void aSpanIsWrittenAsHeaderAndTheUncopiedData() {
        EmbeddedChannel out = new EmbeddedChannel(new FrameEncoder());
        Span span = (Span) WireFixtures.everyFrame().get(9);
        out.writeOutbound(span);
        ByteBuf head = out.readOutbound();
        ByteBuf data = out.readOutbound();
        assertThat(head.readableBytes() + data.readableBytes()).isEqualTo(FrameCodec.encode(span).length);
        assertThat(data.hasArray()).isTrue();
        assertThat(data.array()).isSameAs(span.dataArray());
        assertThat(ByteBuffer.wrap(FrameCodec.encode(span)).getInt()).isEqualTo(head.getInt(0));
        head.release();
        data.release();
    }

    @Test
    void aSpanFromAFileIsWrittenAsTheSameBytesAsTheSpanItHolds(@TempDir Path dir) throws Exception {
        Span span = (Span) WireFixtures.everyFrame().get(9);
        byte[] file = new byte[(int) (span.proof().offsetBytes() + span.proof().spanLengthBytes() + 5)];
        System.arraycopy(span.dataArray(), 0, file, (int) span.proof().offsetBytes(), span.dataArray().length);
        Path path = Files.write(dir.resolve("data"), file);
        EmbeddedChannel out = new EmbeddedChannel(new FrameEncoder());
        out.writeOutbound(new SpanFromFile(span.requestId(), span.proof(), path));
        ByteBuf head = out.readOutbound();
        FileRegion region = out.readOutbound();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.write(ByteBufUtil.getBytes(head));
        WritableByteChannel sink = Channels.newChannel(wire);
        while (region.transferred() < region.count()) {
            region.transferTo(sink, region.transferred());
        }
        head.release();
        region.release();
        assertThat(wire.toByteArray()).isEqualTo(FrameCodec.encode(span));
    }
}
