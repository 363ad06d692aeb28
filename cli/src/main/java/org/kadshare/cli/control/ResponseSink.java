package org.kadshare.cli.control;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reply of one request, written from its worker thread: one JSON object (plain route) or
 * NDJSON lines in a chunked reply (stream route). A stream write waits until the client has taken
 * the bytes, at most {@link ControlLimits#writeTimeoutMillis}; a closed connection or a client
 * that reads nothing fails the write with an IOException, the handler's signal to stop.
 */
final class ResponseSink implements ControlServer.EventSink {
    private final Channel channel;
    private final boolean stream;
    private final boolean keepAlive;
    private final long writeTimeoutMillis;
    private boolean started;
    private boolean broken;
    private ChannelFuture plainReply;

    ResponseSink(Channel channel, boolean stream, boolean keepAlive, long writeTimeoutMillis) {
        this.channel = channel;
        this.stream = stream;
        this.keepAlive = keepAlive;
        this.writeTimeoutMillis = writeTimeoutMillis;
    }

    @Override
    public void emit(Map<String, Object> event) throws IOException {
        if (!stream) {
            if (started) {
                throw new IllegalStateException("a plain route answers once");
            }
            started = true;
            plainReply = Replies.send(channel, Replies.json(200, event, keepAlive), true);
            return;
        }
        if (!started) {
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson")
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            started = true;
            channel.write(head);
        }
        byte[] line = (Json.write(event) + "\n").getBytes(StandardCharsets.UTF_8);
        await(channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line))));
    }

    /** The whole reply of a text route. */
    void text(ControlServer.TextReply reply) {
        if (started || stream) {
            throw new IllegalStateException("a text reply is the whole reply of a plain route");
        }
        started = true;
        plainReply = Replies.send(channel, Replies.text(reply, keepAlive), true);
    }

    /** Ends the reply; the future completes once the last byte is written. */
    ChannelFuture finish() {
        if (!started) {
            throw new IllegalStateException("the handler answered nothing");
        }
        return stream ? channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT) : plainReply;
    }

    /** Sends an error: an error reply if nothing was sent yet, else a last {@code failed} event. */
    ChannelFuture fail(ControlError error) throws IOException {
        if (!started) {
            started = true;
            return Replies.send(channel, Replies.json(error.httpStatus(), Replies.errorBody(error, false), keepAlive),
                    true);
        }
        if (!stream) {
            return channel.newSucceededFuture();
        }
        emit(Replies.errorBody(error, true));
        return finish();
    }

    /** Whether a write failed: the client is gone and nothing more can reach it. */
    boolean broken() {
        return broken;
    }

    private void await(ChannelFuture f) throws IOException {
        try {
            if (!f.await(writeTimeoutMillis, TimeUnit.MILLISECONDS)) {
                broken = true;
                channel.close();
                throw new IOException("the client read nothing for " + writeTimeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            broken = true;
            throw new InterruptedIOException("interrupted while writing to the control client");
        }
        if (!f.isSuccess()) {
            broken = true;
            throw new IOException("the control client went away: " + f.cause());
        }
    }
}
