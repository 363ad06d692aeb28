package org.kadshare.cli.control;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one whole request off a control connection: checks the caller and token, finds the
 * route, reads its parameters, and hands it to a worker thread; reading stops until the reply is
 * out (one request at a time per connection). Everything before the hand-over runs on the event
 * loop and is cheap.
 */
final class ControlHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);

    private final ControlServer server;

    ControlHandler(ControlServer server) {
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        Channel ch = ctx.channel();
        if (!req.decoderResult().isSuccess()) {
            Replies.sendError(ch, new ControlError(400, "bad_request", "malformed HTTP request: "
                    + req.decoderResult().cause().getMessage(), -1), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        ControlServer.Route route = server.routeOf(req.method().name(), uri.path());
        InetSocketAddress remote = (InetSocketAddress) ch.remoteAddress();
        int auth = server.authorize(remote, req.headers());
        if (auth == ControlAuth.UNAUTHORIZED && route != null && route.open()) {
            auth = ControlAuth.OK;
        }
        if (auth != ControlAuth.OK) {
            ControlError refused = auth == ControlAuth.FORBIDDEN
                    ? new ControlError(403, "forbidden", "the control API answers loopback callers only", -1)
                    : new ControlError(401, "unauthorized", "missing or wrong bearer token (see "
                            + ControlFile.NAME + ")", -1);
            reply(ctx, error(refused, keepAlive), keepAlive);
            return;
        }
        if (route == null) {
            reply(ctx, error(new ControlError(404, "no_such_endpoint", "no endpoint " + uri.path(), -1), keepAlive),
                    keepAlive);
            return;
        }
        if (!req.method().name().equals(route.method())) {
            FullHttpResponse r = error(new ControlError(405, "method_not_allowed",
                    uri.path() + " takes " + route.method(), -1), keepAlive);
            r.headers().set(HttpHeaderNames.ALLOW, route.method());
            reply(ctx, r, keepAlive);
            return;
        }
        JsonObject request;
        try {
            request = route.method().equals("GET") ? query(uri)
                    : Json.parseObject(body(req));
        } catch (JsonException e) {
            reply(ctx, error(new ControlError(400, "bad_request", e.getMessage(), -1), keepAlive), keepAlive);
            return;
        }
        boolean alive = keepAlive && !route.stream();
        ch.config().setAutoRead(false);
        try {
            server.poolFor(route).execute(() -> run(ctx, uri.path(), route, request, alive));
        } catch (RejectedExecutionException e) {
            LOG.warn("control API busy: {} {} refused ({} requests waiting)", route.method(), uri.path(),
                    server.poolFor(route).getQueue().size());
            reply(ctx, error(new ControlError(503, "busy", "the control API has too many requests waiting;"
                    + " try again", -1), false), false);
        }
    }

    private void run(ChannelHandlerContext ctx, String path, ControlServer.Route route, JsonObject request,
            boolean keepAlive) {
        ResponseSink sink = new ResponseSink(ctx.channel(), route.stream(), keepAlive,
                server.limits().writeTimeoutMillis());
        try {
            route.handler().handle(request, sink);
            sink.finish().addListener(f -> {
                if (f.isSuccess() && route.afterReply() != null) {
                    route.afterReply().run();
                }
                nextRequest(ctx, keepAlive);
            });
        } catch (Exception e) {
            if (sink.broken()) {
                LOG.debug("control request {} {} ended early: {}", route.method(), path, e.toString());
                ctx.close();
                return;
            }
            ControlError error = server.errorOf(e);
            if (error.httpStatus() >= 500) {
                LOG.warn("control request {} {} failed: {}", route.method(), path, e.toString());
                LOG.debug("control request {} {} failed", route.method(), path, e);
            }
            try {
                sink.fail(error).addListener(f -> nextRequest(ctx, keepAlive));
            } catch (IOException gone) {
                LOG.debug("control request {} {}: client gone before the error reply", route.method(), path);
                ctx.close();
            }
        }
    }

    static void nextRequest(ChannelHandlerContext ctx, boolean keepAlive) {
        if (!keepAlive) {
            ctx.close();
            return;
        }
        ctx.executor().execute(() -> {
            if (!ctx.channel().isActive()) {
                return;
            }
            ((RequestDeadlines) ctx.pipeline().get("deadlines")).awaitNextRequest(ctx.pipeline().context("deadlines"));
            ctx.channel().config().setAutoRead(true);
        });
    }

    private static void reply(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        Replies.send(ctx.channel(), response, keepAlive).addListener(f -> {
            if (keepAlive) {
                nextRequest(ctx, true);
            }
        });
    }

    private static FullHttpResponse error(ControlError e, boolean keepAlive) {
        return Replies.json(e.httpStatus(), Replies.errorBody(e, false), keepAlive);
    }

    private static String body(FullHttpRequest req) {
        return req.content().readableBytes() == 0 ? "{}" : req.content().toString(StandardCharsets.UTF_8);
    }

    static JsonObject query(QueryStringDecoder uri) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : uri.parameters().entrySet()) {
            List<String> values = e.getValue();
            fields.put(e.getKey(), values.isEmpty() ? "" : values.get(values.size() - 1));
        }
        return new JsonObject(fields);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("control connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
