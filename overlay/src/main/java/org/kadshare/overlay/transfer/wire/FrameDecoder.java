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
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final LongSupplier nanoClock;
    private final FrameBudget budget;
    private boolean failed;
    private long frameStartNanos;
    private int reservedBytes;

    /** A decoder with no shared budget: one frame of up to the wire limit at a time. */
    public FrameDecoder() {
        this(FrameBudget.UNLIMITED, () -> 0);
    }

    /**
     * A decoder whose large frames are counted against {@code budget}, noting by {@code nanoClock}
     * (its driver's clock) when a partly received frame began ({@link #partialFrameStartNanos}).
     */
    public FrameDecoder(FrameBudget budget, LongSupplier nanoClock) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
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

    /**
     * The clock's time when the first bytes of the frame now partly received were seen, or 0 when
     * no partial frame is buffered (always 0 with the no-argument constructor's clock).
     */
    public long partialFrameStartNanos() {
        return actualReadableBytes() > 0 ? frameStartNanos : 0;
    }

    /** Bytes of a frame not yet complete held in this decoder. */
    public int bufferedBytes() {
        return actualReadableBytes();
    }

    /** Bytes allocated for what {@link #bufferedBytes} counts (for tests of the memory it takes). */
    int bufferedCapacityBytes() {
        ByteBuf buffered = internalBuffer();
        return buffered.isReadable() ? buffered.capacity() : 0;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseReserved();
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
