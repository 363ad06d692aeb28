package org.kadshare.overlay.transfer.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;

/**
 * The first handler of a connection opened with TLS: looks at the first byte the holder sends. A
 * TLS record (types 0x14 to 0x17) lets TLS go on. Anything else means the holder speaks the block
 * protocol in clear (a node that refuses encryption, or one that predates it, answers a
 * ClientHello with a clear ERROR): TLS is taken out so that ERROR reaches the connection's
 * handler, which fails the attempt with it, and {@link #answeredInClear()} says so.
 */
final class ClientSniffer extends ChannelInboundHandlerAdapter {
    private volatile boolean answeredInClear;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf b && b.isReadable()) {
            byte first = b.getByte(b.readerIndex());
            if (first < 0x14 || first > 0x17) {
                answeredInClear = true;
                SslHandler ssl = ctx.pipeline().get(SslHandler.class);
                if (ssl != null) {
                    ctx.pipeline().remove(ssl);
                }
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }

    /** Whether the holder's first bytes were not TLS. */
    boolean answeredInClear() {
        return answeredInClear;
    }
}
