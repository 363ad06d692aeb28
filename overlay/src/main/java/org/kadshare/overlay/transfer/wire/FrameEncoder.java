package org.kadshare.overlay.transfer.wire;

import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Netty outbound framing: writes a frame as {@link FrameCodec} encodes it. The data of a
 * {@link Span} is not copied into the frame: the encoder emits the header and then wraps the
 * span's own array. A {@link SpanFromFile} becomes the same SPAN frame, its data a file region
 * (sendfile where the transport has it); a {@link SpanInBuffer} is already encoded. Stateless,
 * so one instance may serve every channel.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Object> {
    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Frame || msg instanceof SpanFromFile || msg instanceof SpanInBuffer;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof SpanInBuffer s) {
            out.add(s.content().retain()); // the encoder releases s itself
            return;
        }
        if (msg instanceof SpanFromFile s) {
            out.add(Unpooled.wrappedBuffer(s.head()));
            long length = s.proof().spanLengthBytes();
            if (length > 0) {
                out.add(new DefaultFileRegion(s.file().toFile(), s.proof().offsetBytes(), length));
            }
            return;
        }
        Frame frame = (Frame) msg;
        out.add(Unpooled.wrappedBuffer(FrameCodec.encodeHead(frame)));
        if (frame instanceof Span s && s.dataArray().length > 0) {
            out.add(Unpooled.wrappedBuffer(s.dataArray()));
        }
    }
}
