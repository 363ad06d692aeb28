package org.kadshare.overlay.transfer.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * First of the block protocol's handlers on a connection this node opened to a getter (a reverse
 * connection, {@link BlockServer#dialOut}): writes the reverse hello as soon as the connection is
 * up, before the upload side's own handlers see it, then leaves the pipeline.
 */
final class ReverseDial extends ChannelInboundHandlerAdapter {
    private final byte[] hello;

    ReverseDial(byte[] hello) {
        this.hello = hello.clone();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(hello));
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
    }
}
