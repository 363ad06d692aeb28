package org.kadshare.cli.control;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one control connection: its request head must arrive within
 * {@link ControlLimits#headerTimeoutMillis} of the connection opening (or of the previous reply,
 * on a kept-alive connection), and its body within {@link ControlLimits#bodyTimeoutMillis} of the
 * head. A connection that misses one gets 408 and is closed: a client sending a byte a second
 * holds a slot for seconds, not forever. No deadline runs while a handler is working.
 */
final class RequestDeadlines extends ChannelInboundHandlerAdapter {
    private final ControlLimits limits;
    private ScheduledFuture<?> timer;

    RequestDeadlines(ControlLimits limits) {
        this.limits = limits;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        arm(ctx, limits.headerTimeoutMillis(), "request head");
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            cancel();
            if (!(msg instanceof LastHttpContent)) {
                arm(ctx, limits.bodyTimeoutMillis(), "request body");
            }
        }
        if (msg instanceof LastHttpContent) {
            cancel();
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }

    /** After a reply on a kept-alive connection: the next request head is due in time too. */
    void awaitNextRequest(ChannelHandlerContext ctx) {
        arm(ctx, limits.headerTimeoutMillis(), "request head");
    }

    /** A streamed body made progress: its deadline starts again, so only a stalled body is cut off. */
    void bodyProgress(ChannelHandlerContext ctx) {
        arm(ctx, limits.bodyTimeoutMillis(), "request body");
    }

    private void arm(ChannelHandlerContext ctx, long millis, String what) {
        cancel();
        timer = ctx.executor().schedule(() -> {
            timer = null;
            Replies.sendError(ctx.channel(), new ControlError(408, "request_timeout",
                    "the " + what + " did not arrive within " + millis + " ms", -1), false);
        }, millis, TimeUnit.MILLISECONDS);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
