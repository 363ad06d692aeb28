package org.kadshare.cli.control;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Serves the web dashboard under {@code /ui/}: its pages and scripts from the jar's resources,
 * the login page that exchanges a one-time secret for a session cookie, and clear HTML pages
 * (never a stack trace) for a caller without a session or a page that does not exist. Every other
 * path goes on to the JSON routes. Runs on the event loop: each reply is a small in-memory asset.
 */
final class WebHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String PREFIX = "/ui";

    private final ControlServer server;

    WebHandler(ControlServer server) {
        super(false);
        this.server = server;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String path = new QueryStringDecoder(req.uri()).path();
        if (!req.decoderResult().isSuccess() || !(path.equals(PREFIX) || path.startsWith(PREFIX + "/"))) {
            ctx.fireChannelRead(req);
            return;
        }
        try {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            FullHttpResponse reply = answer(ctx, req, path);
            reply.headers().set(HttpHeaderNames.CONNECTION,
                    keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            Replies.send(ctx.channel(), reply, keepAlive).addListener(f -> {
                if (keepAlive) {
                    ControlHandler.nextRequest(ctx, true);
                }
            });
        } finally {
            req.release();
        }
    }

    private FullHttpResponse answer(ChannelHandlerContext ctx, FullHttpRequest req, String path) {
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        if (remote == null || !remote.getAddress().isLoopbackAddress()) {
            return page(403, "Forbidden", "The dashboard answers this computer only.");
        }
        if (!WebAssets.isOwnHost(req.headers().get(HttpHeaderNames.HOST), server.port())) {
            return page(421, "Wrong address", "Open the dashboard at http://127.0.0.1:" + server.port() + "/ui/.");
        }
        if (path.equals(PREFIX)) {
            return redirect(PREFIX + "/");
        }
        if (path.equals(PREFIX + "/session")) {
            return req.method().equals(HttpMethod.POST) ? session(req)
                    : page(405, "Method not allowed", "This address takes POST.");
        }
        Optional<WebAssets.Asset> asset = WebAssets.find(path.substring(PREFIX.length()));
        if (asset.isEmpty()) {
            return page(404, "No such page", "There is no page " + path + " in the dashboard. Go to its home page:"
                    + " <a href=\"/ui/\">/ui/</a>.");
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            return page(405, "Method not allowed", "This address takes GET.");
        }
        if (!asset.get().open() && !server.hasSession(req.headers().get(HttpHeaderNames.COOKIE))) {
            return page(401, "Not signed in", "This browser has no valid session with this node (it may have"
                    + " restarted, which ends every session). Run <code>node web</code> on the node's computer and"
                    + " open the address it prints.");
        }
        return asset(asset.get());
    }

    private FullHttpResponse session(FullHttpRequest req) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !WebAssets.isOwnOrigin(origin, server.port())) {
            return json(403, Replies.errorBody(new ControlError(403, "forbidden",
                    "logins are accepted from the dashboard's own page only", -1), false));
        }
        String secret;
        try {
            secret = Json.parseObject(req.content().toString(StandardCharsets.UTF_8)).optionalString("secret")
                    .orElse(null);
        } catch (JsonException e) {
            secret = null;
        }
        Optional<String> session = server.redeem(secret);
        if (session.isEmpty()) {
            return json(401, Replies.errorBody(new ControlError(401, "login_expired", "This login link is wrong,"
                    + " expired or already used. Run `node web` for a new one.", -1), false));
        }
        FullHttpResponse r = json(200, Map.of("signedIn", true));
        r.headers().set(HttpHeaderNames.SET_COOKIE, server.sessionCookieName() + "=" + session.get()
                + "; Path=/; HttpOnly; SameSite=Strict");
        return r;
    }

    private static FullHttpResponse json(int status, Map<String, Object> body) {
        FullHttpResponse r = Replies.json(status, body, true);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    private static FullHttpResponse asset(WebAssets.Asset asset) {
        return secured(HttpResponseStatus.OK, asset.contentType(), asset.bytes());
    }

    static FullHttpResponse page(int status, String title, String html) {
        return secured(HttpResponseStatus.valueOf(status), "text/html; charset=utf-8",
                WebAssets.messagePage(status, title, html));
    }

    private static FullHttpResponse redirect(String location) {
        FullHttpResponse r = secured(HttpResponseStatus.SEE_OTHER, "text/plain; charset=utf-8", new byte[0]);
        r.headers().set(HttpHeaderNames.LOCATION, location);
        return r;
    }

    private static FullHttpResponse secured(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-store")
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        return r;
    }
}
