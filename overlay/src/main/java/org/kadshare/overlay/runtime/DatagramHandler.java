package org.kadshare.overlay.runtime;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.util.concurrent.atomic.LongAdder;
import org.kadshare.overlay.dht.DatagramReceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each inbound datagram, copied out of its buffer, to the core's receiver on the event loop.
 * The buffer is released by the superclass. Oversized datagrams are dropped, and nothing the
 * receiver throws reaches the pipeline, so a bug in the core or a hostile datagram cannot close
 * the channel.
 */
final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = LoggerFactory.getLogger(DatagramHandler.class);

    private final DatagramReceiver receiver;
    private final int maxDatagramBytes;
    private final LongAdder received;
    private final LongAdder droppedOversize;
    private final LongAdder receiverFailures;
    private final LongAdder channelErrors;

    DatagramHandler(DatagramReceiver receiver, int maxDatagramBytes, LongAdder received,
            LongAdder droppedOversize, LongAdder receiverFailures, LongAdder channelErrors) {
        this.receiver = receiver;
        this.maxDatagramBytes = maxDatagramBytes;
        this.received = received;
        this.droppedOversize = droppedOversize;
        this.receiverFailures = receiverFailures;
        this.channelErrors = channelErrors;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        if (length > maxDatagramBytes) {
            droppedOversize.increment();
            return;
        }
        received.increment();
        byte[] bytes = new byte[length];
        content.getBytes(content.readerIndex(), bytes);
        try {
            receiver.receive(packet.sender(), bytes);
        } catch (RuntimeException e) {
            receiverFailures.increment();
            if (receiverFailures.sum() == 1) {
                LOG.warn("receiver threw on a datagram from {} ({} bytes); counting further failures",
                        packet.sender(), length, e);
            } else {
                LOG.debug("receiver threw on a datagram from {}", packet.sender(), e);
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        channelErrors.increment();
        LOG.debug("UDP channel error on {}", ctx.channel().localAddress(), cause);
    }
}
