package org.kadshare.overlay.transfer.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Netty inbound framing: cuts the byte stream into frames and decodes each with
 * {@link FrameCodec}. The length prefix is checked against {@link Limits#MAX_FRAME_LENGTH_BYTES}
 * as soon as its four bytes are in, before the frame's bytes are waited for, so a peer can make
 * it buffer at most one frame. On the first bad frame it raises the {@link FrameException}
 * (wrapped by Netty in a {@code DecoderException}; see {@link #frameException}) and then discards
 * everything else the connection sends: the handler answers with an ERROR and closes.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private boolean failed;
    private long frameStartNanos;
    private long lastFrameStartNanos;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws FrameException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.isReadable() && frameStartNanos == 0) {
            frameStartNanos = System.nanoTime();
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
        if (in.readableBytes() < Limits.LENGTH_PREFIX_BYTES + length) {
            return;
        }
        try {
            out.add(FrameCodec.decode(in.nioBuffer(in.readerIndex() + Limits.LENGTH_PREFIX_BYTES, length)));
            in.skipBytes(Limits.LENGTH_PREFIX_BYTES + length);
            lastFrameStartNanos = frameStartNanos;
            frameStartNanos = in.isReadable() ? System.nanoTime() : 0;
        } catch (FrameException e) {
            fail(in);
            throw e;
        }
    }

    /**
     * {@code System.nanoTime()} when the first bytes of the frame last decoded were seen (at the
     * granularity of socket reads): lets a client measure time to the first byte of a reply.
     */
    public long lastFrameStartNanos() {
        return lastFrameStartNanos;
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
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
