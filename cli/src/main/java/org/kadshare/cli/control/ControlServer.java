package org.kadshare.cli.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The local control API: HTTP/1.1 with JSON bodies on 127.0.0.1 and an ephemeral port, on Netty's
 * HTTP codec. Every request must come from loopback (else 403) and carry
 * {@code Authorization: Bearer <token>} (else 401). GET routes read their parameters from the
 * query string, POST routes from a JSON object body (at most {@link #MAX_BODY_BYTES}). A stream
 * route answers with NDJSON, one event object a line, flushed as it goes; when the client goes
 * away the handler's next write fails, which is its signal to stop.
 *
 * <p>Why it cannot be held up: one event-loop thread reads every connection without blocking,
 * so a client that sends slowly holds no thread, only one of {@link ControlLimits#maxConnections}
 * connection slots, and only until its header or body deadline (then 408). While every slot is
 * taken the server stops accepting, so further connections wait in the kernel's listen backlog
 * and are served in turn instead of being reset. Handlers run on bounded pools (one for plain
 * requests, one for streams, so long downloads cannot starve {@code status}); a full queue is
 * answered 503. The token is checked on the event loop before any handler runs.
 *
 * <p>The web dashboard rides on the same server: {@link WebHandler} serves its pages under
 * {@code /ui/} and trades the one-time secrets of {@link #WEB_LOGIN_PATH} for session cookies
 * ({@link WebLogins}); a request with such a cookie and the {@link #DASHBOARD_HEADER} counts as
 * one with the token. {@link UploadHandler} streams {@code POST /v1/upload} bodies to disk before
 * the 64 KiB body limit applies.
 */
public final class ControlServer implements AutoCloseable {
    /** The largest request body accepted. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_INITIAL_LINE_BYTES = 8 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    static final int LISTEN_BACKLOG = 1024;
    /** Where {@code node web} gets a one-time login address for the dashboard. */
    public static final String WEB_LOGIN_PATH = "/v1/web/login";
    /** The header the dashboard's own requests carry; a request authorised by cookie only must have it. */
    static final String DASHBOARD_HEADER = "X-Kadshare-Dashboard";

    /** Answers one request with a JSON object. */
    @FunctionalInterface
    public interface Handler {
        Map<String, Object> handle(JsonObject request) throws Exception;
    }

    /** Answers one request with a stream of events. */
    @FunctionalInterface
    public interface StreamHandler {
        void handle(JsonObject request, EventSink events) throws Exception;
    }

    /** Where a stream handler writes its events; a failed write means the client is gone. */
    @FunctionalInterface
    public interface EventSink {
        void emit(Map<String, Object> event) throws IOException;
    }

    /** Answers one request with a body that is not JSON (the metrics' text format). */
    @FunctionalInterface
    public interface TextHandler {
        TextReply handle() throws Exception;
    }

    /** A non-JSON reply: its content type and bytes. */
    public record TextReply(String contentType, byte[] body) {
    }

    /**
     * One endpoint: its method, its handler, and what to do once it has answered; {@code open}
     * routes are served to any loopback caller without the token.
     */
    record Route(String method, StreamHandler handler, boolean stream, Runnable afterReply, boolean open) {
    }

    private final String token;
    private final Function<Throwable, ControlError> errors;
    private final ControlLimits limits;
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final EventLoopGroup loop;
    private final ThreadPoolExecutor requests;
    private final ThreadPoolExecutor streams;
    private final Channel listener;
    private final ConnectionSlots slots;
    private volatile Uploads uploads;
    private final WebLogins logins = new WebLogins(System::currentTimeMillis);

    private ControlServer(String token, Function<Throwable, ControlError> errors, ControlLimits limits)
            throws IOException {
        this.token = token;
        this.errors = errors;
        this.limits = limits;
        this.loop = new NioEventLoopGroup(1, new DefaultThreadFactory("control-io", true));
        this.requests = pool("control", limits.requestThreads(), limits.requestQueue());
        this.streams = pool("control-stream", limits.streamThreads(), limits.streamThreads());
        this.slots = new ConnectionSlots(limits.maxConnections());
        ControlServer server = this;
        ServerBootstrap b = new ServerBootstrap().group(loop, loop).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, LISTEN_BACKLOG)
                .option(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("slots", slots)
                                .addLast("codec", new HttpServerCodec(MAX_INITIAL_LINE_BYTES, MAX_HEADER_BYTES,
                                        8 * 1024))
                                .addLast("deadlines", new RequestDeadlines(limits))
                                .addLast("uploads", new UploadHandler(server))
                                .addLast("aggregator", new BodyLimit(MAX_BODY_BYTES))
                                .addLast("web", new WebHandler(server))
                                .addLast("requests", new ControlHandler(server));
                    }
                });
        try {
            this.listener = b.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IOException("interrupted while binding the control API", e);
        } catch (RuntimeException e) {
            close();
            throw new IOException("cannot bind the control API: " + e.getMessage(), e);
        }
        slots.listener(listener);
        post(WEB_LOGIN_PATH, r -> Map.of("url", "http://127.0.0.1:" + port() + WebHandler.PREFIX + "/login#secret="
                + logins.newSecret(), "expiresInSeconds", WebLogins.SECRET_LIFETIME_MILLIS / 1000));
    }

    /**
     * Binds 127.0.0.1 on an ephemeral port with the default limits; call {@link #start} after
     * adding routes (connections made before wait in the backlog).
     *
     * @param errors turns what a handler throws into the error the client sees
     */
    public static ControlServer bind(String token, Function<Throwable, ControlError> errors) throws IOException {
        return bind(token, errors, ControlLimits.defaults());
    }

    public static ControlServer bind(String token, Function<Throwable, ControlError> errors, ControlLimits limits)
            throws IOException {
        return new ControlServer(token, errors, limits);
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                queue == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** The token requests must carry. */
    public String token() {
        return token;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public ControlServer get(String path, Handler handler) {
        return route(path, new Route("GET", (request, sink) -> sink.emit(handler.handle(request)), false, null,
                false));
    }

    public ControlServer post(String path, Handler handler) {
        return post(path, handler, null);
    }

    /** A POST route that runs {@code afterReply} once its successful reply has been sent. */
    public ControlServer post(String path, Handler handler, Runnable afterReply) {
        return route(path, new Route("POST", (request, sink) -> sink.emit(handler.handle(request)), false,
                afterReply, false));
    }

    public ControlServer postStream(String path, StreamHandler handler) {
        return route(path, new Route("POST", handler, true, null, false));
    }

    /**
     * A GET route with a non-JSON reply.
     *
     * @param needsToken false to serve it to any loopback caller without the token
     */
    public ControlServer getText(String path, TextHandler handler, boolean needsToken) {
        return route(path, new Route("GET", (request, sink) -> ((ResponseSink) sink).text(handler.handle()), false,
                null, !needsToken));
    }

    /** Adds {@code route}; a path may have one GET and one POST route. */
    private ControlServer route(String path, Route route) {
        if (routes.putIfAbsent(route.method() + " " + path, route) != null) {
            throw new IllegalArgumentException("route " + route.method() + " " + path + " is already defined");
        }
        return this;
    }

    /** Accepts files sent from the browser at {@code POST /v1/upload} (not served until set). */
    public ControlServer uploads(Uploads uploads) {
        this.uploads = uploads;
        return this;
    }

    Uploads uploads() {
        return uploads;
    }

    ThreadPoolExecutor requestPool() {
        return requests;
    }

    /** Starts accepting connections. */
    public void start() {
        slots.start();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        requests.shutdownNow();
        streams.shutdownNow();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    String expectedToken() {
        return token;
    }

    /** The route for {@code method} on {@code path}; else another method's route on it (answered 405); else null. */
    Route routeOf(String method, String path) {
        Route exact = routes.get(method + " " + path);
        if (exact != null) {
            return exact;
        }
        Route get = routes.get("GET " + path);
        return get != null ? get : routes.get("POST " + path);
    }

    ThreadPoolExecutor poolFor(Route route) {
        return route.stream() ? streams : requests;
    }

    ControlError errorOf(Throwable t) {
        return errors.apply(t);
    }

    ControlLimits limits() {
        return limits;
    }

    /** The session cookie's name: one per port, as browsers share cookies between a host's ports. */
    String sessionCookieName() {
        return "kadshare_" + port();
    }

    Optional<String> redeem(String secret) {
        return logins.redeem(secret);
    }

    /**
     * Whether a request may proceed ({@link ControlAuth}'s codes): a loopback caller with the
     * bearer token, or with a dashboard session cookie and the {@link #DASHBOARD_HEADER}.
     */
    int authorize(InetSocketAddress remote, io.netty.handler.codec.http.HttpHeaders headers) {
        int auth = ControlAuth.check(remote == null ? null : remote.getAddress(),
                headers.get(io.netty.handler.codec.http.HttpHeaderNames.AUTHORIZATION), token);
        if (auth == ControlAuth.UNAUTHORIZED && headers.contains(DASHBOARD_HEADER)
                && hasSession(headers.get(io.netty.handler.codec.http.HttpHeaderNames.COOKIE))) {
            return ControlAuth.OK;
        }
        return auth;
    }

    /** Whether a {@code Cookie} header carries an open dashboard session of this server. */
    boolean hasSession(String cookieHeader) {
        if (cookieHeader == null) {
            return false;
        }
        for (Cookie c : ServerCookieDecoder.STRICT.decode(cookieHeader)) {
            if (c.name().equals(sessionCookieName()) && logins.isSession(c.value())) {
                return true;
            }
        }
        return false;
    }
}
