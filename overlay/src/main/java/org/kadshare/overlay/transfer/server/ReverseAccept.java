package org.kadshare.overlay.transfer.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.kadshare.overlay.transfer.wire.FrameException;
import org.kadshare.overlay.transfer.wire.ReverseHello;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in an accepted connection's pipeline: tells a reverse connection (a holder that cannot be
 * reached, answering one of this node's {@code connect_to_me}) from an ordinary one by the first
 * byte ({@link ReverseHello#FIRST_BYTE}). An ordinary connection goes on as before, its bytes
 * untouched. A reverse hello whose cookie a download waits for takes the connection out of the
 * server (no longer counted or swept as an upload, every handler removed) and hands it over,
 * deregistered, to that download, which runs the block protocol's client side on it; an unknown
 * or malformed one closes it. The connection counts against the server's limits, handshake time
 * included, until it is handed over.
 */
final class ReverseAccept extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(ReverseAccept.class);

    private final ReverseWaits waits;
    private final Runnable onHandedOver;

    ReverseAccept(ReverseWaits waits, Runnable onHandedOver) {
        this.waits = waits;
        this.onHandedOver = onHandedOver;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        if (in.getByte(in.readerIndex()) != ReverseHello.FIRST_BYTE) {
            ctx.pipeline().remove(this);
            return;
        }
        if (in.readableBytes() < ReverseHello.LENGTH_BYTES) {
            return;
        }
        byte[] hello = new byte[ReverseHello.LENGTH_BYTES];
        in.readBytes(hello);
        Channel ch = ctx.channel();
        CompletableFuture<Channel> wait;
        try {
            wait = waits.take(ReverseHello.cookieOf(hello));
        } catch (FrameException e) {
            LOG.debug("Closing the connection from {}: {}", ch.remoteAddress(), e.getMessage());
            ch.close();
            return;
        }
        if (wait == null || in.isReadable()) {
            LOG.debug("Closing the reverse connection from {}: {}", ch.remoteAddress(),
                    wait == null ? "no download waits for its cookie" : "it sent more than its hello");
            if (wait != null) {
                wait.completeExceptionally(new IllegalStateException("the holder sent more than its reverse hello"));
            }
            ch.close();
            return;
        }
        ch.config().setAutoRead(false);
        ServerConnection upload = ch.pipeline().get(ServerConnection.class);
        if (upload != null) {
            upload.handOff();
        }
        List<ChannelHandler> others = new ArrayList<>();
        for (Map.Entry<String, ChannelHandler> e : ch.pipeline()) {
            if (e.getValue() != this) {
                others.add(e.getValue());
            }
        }
        others.forEach(ch.pipeline()::remove);
        ch.pipeline().remove(this);
        onHandedOver.run();
        ch.deregister().addListener(f -> {
            if (!f.isSuccess() || !wait.complete(ch)) {
                ch.close();
            }
        });
    }
}
