package org.kadshare.overlay.transfer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Netty inbound framing: cuts the byte stream into frames and decodes each with
 * {@link FrameCodec}. The length prefix is checked against {@link Limits#MAX_FRAME_LENGTH_BYTES}
 * as soon as its four bytes are in, before the frame's bytes are waited for, so a peer can make
 * it buffer at most one frame. On the first bad frame it raises the {@link FrameException}
 * (wrapped by Netty in a {@code DecoderException}; see {@link #frameException}) and then discards
 * everything else the connection sends: the handler answers with an ERROR and closes.
 *
 * <p>With a {@link FrameBudget} (the block server's), a frame longer than
 * {@link FrameBudget#UNBUDGETED_FRAME_BYTES} first reserves its declared length from the budget,
 * and is refused with {@link ErrorCode#BUSY} when the budget is spent; the bytes are gathered as
 * they arrive without copying them into a buffer grown ahead of them (a composite of the socket
 * reads), so memory follows the bytes received, never the length a peer declares.
 *
 * <p>Without a budget (a downloader's connection), the data of a SPAN frame is not gathered in
 * the cumulation buffer: once the frame's head (request ID and proof) is in, the decoder takes an
 * array of the span's length from {@link SpanArrays#shared()} and copies every further read
 * (socket or TLS output) straight into it, so each byte is copied once between the socket's
 * buffer and the array the span is verified and written from (gathering first copied each byte
 * into a growing buffer, then again into the array). The array is at most
 * {@link Limits#MAX_SPAN_BYTES}, one per connection at a time; a connection that closes with a
 * span partly received gives it back.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final LongSupplier nanoClock;
    private final FrameBudget budget;
    private final SpanArrays spanArrays;
    private boolean failed;
    private long frameStartNanos;
    private int reservedBytes;
    /** The SPAN frame whose data is being copied into {@link #spanData}, or null. */
    private FrameCodec.SpanHead spanHead;
    private byte[] spanData;
    private int spanFilled;

    /** A decoder with no shared budget: one frame of up to the wire limit at a time. */
    public FrameDecoder() {
        this(SpanArrays.shared());
    }

    /** A decoder with no budget whose SPAN frames are decoded into arrays of {@code spanArrays}. */
    FrameDecoder(SpanArrays spanArrays) {
        this(FrameBudget.UNLIMITED, () -> 0, spanArrays);
    }

    /**
     * A decoder whose large frames are counted against {@code budget}, noting by {@code nanoClock}
     * (its driver's clock) when a partly received frame began ({@link #partialFrameStartNanos}).
     */
    public FrameDecoder(FrameBudget budget, LongSupplier nanoClock) {
        this(budget, nanoClock, SpanArrays.shared());
    }

    private FrameDecoder(FrameBudget budget, LongSupplier nanoClock, SpanArrays spanArrays) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.spanArrays = Objects.requireNonNull(spanArrays, "spanArrays");
        if (budget != FrameBudget.UNLIMITED) {
            setCumulator(COMPOSITE_CUMULATOR);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws FrameException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (spanHead != null) {
            fillSpan(in, out);
            return;
        }
        if (in.isReadable() && frameStartNanos == 0) {
            frameStartNanos = nanoClock.getAsLong();
        }
        if (in.readableBytes() < Limits.LENGTH_PREFIX_BYTES) {
            return;
        }
        int length;
        try {
            length = FrameCodec.checkLength(in.getUnsignedInt(in.readerIndex()));
        } catch (FrameException e) {
            fail(in);
            throw e;
        }
        if (length > FrameBudget.UNBUDGETED_FRAME_BYTES && reservedBytes == 0) {
            if (!budget.reserve(length)) {
                fail(in);
                throw new FrameException(ErrorCode.BUSY, "a frame of " + length
                        + " bytes does not fit in what this node buffers now; try later");
            }
            reservedBytes = length;
        }
        if (budget == FrameBudget.UNLIMITED && in.readableBytes() > Limits.LENGTH_PREFIX_BYTES
                && (in.getByte(in.readerIndex() + Limits.LENGTH_PREFIX_BYTES) & 0xFF) == FrameType.SPAN.code()) {
            startSpan(in, length, out);
            return;
        }
        if (in.readableBytes() < Limits.LENGTH_PREFIX_BYTES + length) {
            return;
        }
        try {
            out.add(FrameCodec.decode(in.nioBuffer(in.readerIndex() + Limits.LENGTH_PREFIX_BYTES, length)));
            in.skipBytes(Limits.LENGTH_PREFIX_BYTES + length);
            releaseReserved();
            frameStartNanos = in.isReadable() ? nanoClock.getAsLong() : 0;
        } catch (FrameException e) {
            fail(in);
            throw e;
        }
    }

    /** Decodes the head of a SPAN frame once it is all in, then copies what follows of its data. */
    private void startSpan(ByteBuf in, int length, List<Object> out) throws FrameException {
        int available = Math.min(in.readableBytes() - Limits.LENGTH_PREFIX_BYTES, length);
        FrameCodec.SpanHead head;
        try {
            head = FrameCodec.decodeSpanHead(in.nioBuffer(in.readerIndex() + Limits.LENGTH_PREFIX_BYTES, available),
                    length);
        } catch (FrameException e) {
            fail(in);
            throw e;
        }
        if (head == null) {
            return;
        }
        in.skipBytes(Limits.LENGTH_PREFIX_BYTES + head.headBytes());
        spanHead = head;
        spanData = spanArrays.take(head.dataBytes());
        spanFilled = 0;
        fillSpan(in, out);
    }

    private void fillSpan(ByteBuf in, List<Object> out) {
        int n = Math.min(in.readableBytes(), spanData.length - spanFilled);
        in.readBytes(spanData, spanFilled, n);
        spanFilled += n;
        if (spanFilled < spanData.length) {
            return;
        }
        FrameCodec.SpanHead head = spanHead;
        byte[] data = spanData;
        spanHead = null;
        spanData = null;
        spanFilled = 0;
        out.add(Span.decoded(head.requestId(), head.proof(), data));
        releaseReserved();
        frameStartNanos = in.isReadable() ? nanoClock.getAsLong() : 0;
    }

    /**
     * The clock's time when the first bytes of the frame now partly received were seen, or 0 when
     * no partial frame is buffered (always 0 with the no-argument constructor's clock).
     */
    public long partialFrameStartNanos() {
        return bufferedBytes() > 0 ? frameStartNanos : 0;
    }

    /** Bytes of a frame not yet complete held in this decoder. */
    public int bufferedBytes() {
        int spanBytes = spanHead == null ? 0 : Limits.LENGTH_PREFIX_BYTES + spanHead.headBytes() + spanFilled;
        return actualReadableBytes() + spanBytes;
    }

    /** Bytes allocated for what {@link #bufferedBytes} counts (for tests of the memory it takes). */
    int bufferedCapacityBytes() {
        ByteBuf buffered = internalBuffer();
        return buffered.isReadable() ? buffered.capacity() : 0;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseReserved();
        dropSpan();
    }

    /** Gives a partly filled span's array back: nothing else holds it. */
    private void dropSpan() {
        if (spanData != null) {
            spanArrays.giveBack(spanData);
            spanData = null;
            spanHead = null;
            spanFilled = 0;
        }
    }

    private void releaseReserved() {
        if (reservedBytes > 0) {
            budget.release(reservedBytes);
            reservedBytes = 0;
        }
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
        releaseReserved();
        dropSpan();
    }

    /** The {@link FrameException} behind {@code cause}, if decoding is what failed, else null. */
    public static FrameException frameException(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof FrameException e) {
                return e;
            }
        }
        return null;
    }
}
