package org.kadshare.cli.control;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/** Collects a request and its body, refusing a body over the limit with a JSON 413. */
final class BodyLimit extends HttpObjectAggregator {
    private final int maxBytes;

    BodyLimit(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        Replies.sendError(ctx.channel(), new ControlError(413, "too_large",
                "the request body exceeds " + maxBytes + " bytes", -1), false);
    }
}
