package org.kadshare.cli.control;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Bounds the connections the control API serves at once. When every slot is taken the listening
 * socket stops accepting, so new connections wait in the kernel's backlog (queued, not reset)
 * and are accepted as slots free up. Shared by every connection; it runs on the one event-loop
 * thread that also owns the listening socket, so its count needs no lock.
 */
@ChannelHandler.Sharable
final class ConnectionSlots extends ChannelInboundHandlerAdapter {
    private final int max;
    private Channel listener;
    private int open;
    private boolean started;

    ConnectionSlots(int max) {
        this.max = max;
    }

    void listener(Channel listener) {
        this.listener = listener;
    }

    void start() {
        listener.eventLoop().execute(() -> {
            started = true;
            accept();
        });
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        open++;
        accept();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open--;
        accept();
        super.channelInactive(ctx);
    }

    private void accept() {
        boolean read = started && open < max;
        if (listener.config().isAutoRead() != read) {
            listener.config().setAutoRead(read);
        }
    }
}
