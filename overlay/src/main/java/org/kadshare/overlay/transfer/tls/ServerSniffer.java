package org.kadshare.overlay.transfer.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.kadshare.overlay.transfer.wire.ErrorCode;
import org.kadshare.overlay.transfer.wire.ErrorFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of an accepted block-protocol connection: tells from the first byte whether
 * the peer opens TLS (a TLS record of type handshake, 0x16) or speaks the block protocol in clear
 * (a frame's length prefix, whose first byte is 0x00 for every valid frame), then, as the node's
 * {@link Encryption} allows, either installs TLS in its place, leaves the channel clear, or
 * answers with a clear connection ERROR {@code BAD_REQUEST} saying why and closes. The bytes
 * read so far go on to whichever handler follows.
 */
final class ServerSniffer extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ServerSniffer.class);
    static final byte TLS_HANDSHAKE_RECORD = 0x16;

    private final Encryption mode;
    private final LongAdder encrypted;
    private final LongAdder clear;
    private final LongAdder refusals;
    private final Consumer<ChannelHandlerContext> installTls;
    private boolean refused;

    ServerSniffer(Encryption mode, LongAdder encrypted, LongAdder clear, LongAdder refusals,
            Consumer<ChannelHandlerContext> installTls) {
        this.mode = mode;
        this.encrypted = encrypted;
        this.clear = clear;
        this.refusals = refusals;
        this.installTls = installTls;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!in.isReadable()) {
            return;
        }
        boolean tls = in.getByte(in.readerIndex()) == TLS_HANDSHAKE_RECORD;
        if (tls && mode == Encryption.REFUSE) {
            refuse(ctx, in, "this node does not encrypt transfers (encryption refuse); connect in clear");
        } else if (!tls && mode == Encryption.REQUIRE) {
            refuse(ctx, in, "this node only accepts encrypted transfers (TLS 1.3; encryption require)");
        } else {
            if (tls) {
                installTls.accept(ctx);
                encrypted.increment();
            } else {
                clear.increment();
            }
            ctx.pipeline().remove(this);
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String reason) {
        refused = true;
        refusals.increment();
        in.skipBytes(in.readableBytes());
        LOG.debug("Refused the connection from {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.channel().config().setAutoRead(false);
        ctx.pipeline().writeAndFlush(ErrorFrame.connection(ErrorCode.BAD_REQUEST, reason))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
