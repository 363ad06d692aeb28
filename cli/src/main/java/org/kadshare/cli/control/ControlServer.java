package org.kadshare.cli.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local control API: HTTP with JSON bodies on 127.0.0.1 and an ephemeral port, served by the
 * JDK's HttpServer. Every request must come from loopback (else 403) and carry
 * {@code Authorization: Bearer <token>} (else 401). GET routes read their parameters from the
 * query string, POST routes from a JSON object body (at most {@link #MAX_BODY_BYTES}). A stream
 * route answers with NDJSON, one event object a line, flushed as it goes; when the client goes
 * away the handler's next write fails, which is its signal to stop.
 *
 * <p>Requests run on a small bounded pool; more concurrent requests than it holds are refused.
 */
public final class ControlServer implements AutoCloseable {
    /** The largest request body accepted. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int THREADS = 8;
    private static final int QUEUE = 32;
    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

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

    private final HttpServer server;
    private final ThreadPoolExecutor pool;
    private final String token;
    private final Function<Throwable, ControlError> errors;

    private ControlServer(HttpServer server, ThreadPoolExecutor pool, String token,
            Function<Throwable, ControlError> errors) {
        this.server = server;
        this.pool = pool;
        this.token = token;
        this.errors = errors;
    }

    /**
     * Binds 127.0.0.1 on an ephemeral port; call {@link #start} after adding routes.
     *
     * @param errors turns what a handler throws into the error the client sees
     */
    public static ControlServer bind(String token, Function<Throwable, ControlError> errors) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "control-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        server.setExecutor(pool);
        return new ControlServer(server, pool, token, errors);
    }

    /** The token requests must carry. */
    public String token() {
        return token;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public ControlServer get(String path, Handler handler) {
        return route("GET", path, (request, sink) -> sink.emit(handler.handle(request)), false);
    }

    public ControlServer post(String path, Handler handler) {
        return route("POST", path, (request, sink) -> sink.emit(handler.handle(request)), false);
    }

    /** A POST route that runs {@code afterReply} once its successful reply has been sent. */
    public ControlServer post(String path, Handler handler, Runnable afterReply) {
        return route("POST", path, (request, sink) -> sink.emit(handler.handle(request)), false, afterReply);
    }

    public ControlServer postStream(String path, StreamHandler handler) {
        return route("POST", path, handler, true);
    }

    public void start() {
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private ControlServer route(String method, String path, StreamHandler handler, boolean stream) {
        return route(method, path, handler, stream, null);
    }

    private ControlServer route(String method, String path, StreamHandler handler, boolean stream,
            Runnable afterReply) {
        server.createContext(path, exchange -> {
            boolean answered;
            try (exchange) {
                answered = serve(exchange, method, path, handler, stream);
            } catch (IOException e) {
                LOG.debug("control request {} {} ended early: {}", method, path, e.toString());
                return;
            } catch (RuntimeException e) {
                LOG.warn("control request {} {} failed", method, path, e);
                return;
            }
            if (answered && afterReply != null) {
                afterReply.run();
            }
        });
        return this;
    }

    private boolean serve(HttpExchange exchange, String method, String path, StreamHandler handler, boolean stream)
            throws IOException {
        int auth = ControlAuth.check(exchange.getRemoteAddress().getAddress(),
                exchange.getRequestHeaders().getFirst("Authorization"), token);
        if (auth != ControlAuth.OK) {
            sendError(exchange, auth, auth == ControlAuth.FORBIDDEN ? "forbidden" : "unauthorized",
                    auth == ControlAuth.FORBIDDEN ? "the control API answers loopback callers only"
                            : "missing or wrong bearer token (see " + ControlFile.NAME + ")");
            return false;
        }
        if (!exchange.getRequestURI().getPath().equals(path)) {
            sendError(exchange, 404, "no_such_endpoint", "no endpoint " + exchange.getRequestURI().getPath());
            return false;
        }
        if (!exchange.getRequestMethod().equals(method)) {
            exchange.getResponseHeaders().set("Allow", method);
            sendError(exchange, 405, "method_not_allowed", path + " takes " + method);
            return false;
        }
        JsonObject request;
        try {
            request = method.equals("GET") ? query(exchange.getRequestURI().getRawQuery())
                    : Json.parseObject(readBody(exchange.getRequestBody()));
        } catch (JsonException e) {
            sendError(exchange, 400, "bad_request", e.getMessage());
            return false;
        }
        ResponseSink sink = new ResponseSink(exchange, stream);
        try {
            handler.handle(request, sink);
            return true;
        } catch (Exception e) {
            if (sink.broken) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
            ControlError error = errors.apply(e);
            if (error.httpStatus() >= 500) {
                LOG.warn("control request {} {} failed", method, path, e);
            }
            if (sink.started) {
                sink.emit(errorBody(error));
            } else {
                sendError(exchange, error);
            }
            return false;
        }
    }

    private static Map<String, Object> errorBody(ControlError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "failed");
        body.put("error", error.code());
        body.put("message", error.getMessage());
        body.put("exitCode", error.exitCode());
        return body;
    }

    private static void sendError(HttpExchange exchange, int status, String code, String message) throws IOException {
        sendError(exchange, new ControlError(status, code, message, -1));
    }

    private static void sendError(HttpExchange exchange, ControlError error) throws IOException {
        Map<String, Object> body = errorBody(error);
        body.remove("event");
        byte[] bytes = (Json.write(body) + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(error.httpStatus(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new JsonException("request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        return bytes.length == 0 ? "{}" : new String(bytes, StandardCharsets.UTF_8);
    }

    static JsonObject query(String rawQuery) {
        Map<String, Object> fields = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            if (rawQuery.length() > MAX_BODY_BYTES) {
                throw new JsonException("query string too long");
            }
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.put(key, value);
            }
        }
        return new JsonObject(fields);
    }

    /** Writes one JSON object (plain reply) or NDJSON lines (stream reply) to the exchange. */
    private static final class ResponseSink implements EventSink {
        private final HttpExchange exchange;
        private final boolean stream;
        boolean started;
        boolean broken;

        ResponseSink(HttpExchange exchange, boolean stream) {
            this.exchange = exchange;
            this.stream = stream;
        }

        @Override
        public void emit(Map<String, Object> event) throws IOException {
            byte[] bytes = (Json.write(event) + "\n").getBytes(StandardCharsets.UTF_8);
            try {
                if (!started) {
                    exchange.getResponseHeaders().set("Content-Type",
                            stream ? "application/x-ndjson" : "application/json");
                    exchange.sendResponseHeaders(200, stream ? 0 : bytes.length);
                    started = true;
                }
                OutputStream out = exchange.getResponseBody();
                out.write(bytes);
                out.flush();
            } catch (IOException e) {
                broken = true;
                throw e;
            }
        }
    }
}
