package org.kadshare.cli.control;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The control API's whole (non-streaming) replies: one JSON object and a newline. */
final class Replies {
    private Replies() {
    }

    /** {@code {error, message, exitCode}}, plus {@code event: failed} inside a stream. */
    static Map<String, Object> errorBody(ControlError error, boolean event) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (event) {
            body.put("event", "failed");
        }
        body.put("error", error.code());
        body.put("message", error.getMessage());
        body.put("exitCode", error.exitCode());
        return body;
    }

    static FullHttpResponse json(int status, Map<String, Object> body, boolean keepAlive) {
        byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return r;
    }

    static FullHttpResponse text(ControlServer.TextReply reply, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(reply.body()));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType())
                .setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length)
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return r;
    }

    /** Sends an error; unless kept alive, the connection is closed once it is written. */
    static ChannelFuture sendError(Channel channel, ControlError error, boolean keepAlive) {
        return send(channel, json(error.httpStatus(), errorBody(error, false), keepAlive), keepAlive);
    }

    static ChannelFuture send(Channel channel, FullHttpResponse response, boolean keepAlive) {
        ChannelFuture f = channel.writeAndFlush(response);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
        return f;
    }
}
