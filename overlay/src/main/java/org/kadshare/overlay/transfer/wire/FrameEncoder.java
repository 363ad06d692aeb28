package org.kadshare.overlay.transfer.wire;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Netty outbound framing: writes a frame as {@link FrameCodec} encodes it. The data of a
 * {@link Span} is not copied into the frame: the encoder emits the header and then wraps the
 * span's own array. Stateless, so one instance may serve every channel.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToMessageEncoder<Frame> {
    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(FrameCodec.encodeHead(frame)));
        if (frame instanceof Span s && s.dataArray().length > 0) {
            out.add(Unpooled.wrappedBuffer(s.dataArray()));
        }
    }
}
