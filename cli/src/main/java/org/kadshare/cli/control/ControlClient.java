package org.kadshare.cli.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Consumer;

/**
 * Talks to a running node's control API. {@link #find} reads {@code control.json} and checks the
 * node answers: a file whose node does not accept connections is stale and means no node runs.
 */
public final class ControlClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;
    private static final int MAX_LINE_CHARS = 256 * 1024;

    private final ControlEndpoint endpoint;
    private JsonObject statusAtFind;

    public ControlClient(ControlEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** The running node of {@code dataDir}, or empty if none answers. */
    public static Optional<ControlClient> find(Path dataDir) throws IOException, ControlError {
        Optional<ControlEndpoint> endpoint = ControlFile.read(dataDir);
        if (endpoint.isEmpty()) {
            return Optional.empty();
        }
        ControlClient client = new ControlClient(endpoint.get());
        try {
            client.statusAtFind = client.get("/v1/status", Map.of());
        } catch (ConnectException e) {
            return Optional.empty();
        }
        return Optional.of(client);
    }

    /**
     * The node's {@code /v1/status}: the reply that proved the node alive in {@link #find}, the
     * first time (so {@code node status} costs one request, not two), a new request after that.
     */
    public JsonObject status() throws IOException, ControlError {
        JsonObject s = statusAtFind;
        if (s != null) {
            statusAtFind = null;
            return s;
        }
        return get("/v1/status", Map.of());
    }

    public ControlEndpoint endpoint() {
        return endpoint;
    }

    public JsonObject get(String path, Map<String, String> query) throws IOException, ControlError {
        StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
        query.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpURLConnection c = open(path + q, "GET");
        return readReply(c);
    }

    public JsonObject post(String path, Map<String, Object> body) throws IOException, ControlError {
        HttpURLConnection c = open(path, "POST");
        send(c, body);
        return readReply(c);
    }

    /**
     * Posts to a stream route and hands each event to {@code events} as it arrives. An event with
     * {@code "event":"failed"} becomes a {@link ControlError}.
     */
    public void postStream(String path, Map<String, Object> body, Consumer<JsonObject> events)
            throws IOException, ControlError {
        HttpURLConnection c = open(path, "POST");
        c.setReadTimeout(0);
        send(c, body);
        int status = c.getResponseCode();
        if (status != 200) {
            throw errorOf(status, readAll(c.getErrorStream()));
        }
        try (BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.length() > MAX_LINE_CHARS) {
                    throw new IOException("control API sent a line of " + line.length() + " chars");
                }
                if (line.isBlank()) {
                    continue;
                }
                JsonObject event = Json.parseObject(line);
                if ("failed".equals(event.optionalString("event").orElse(""))) {
                    throw errorOf(500, line);
                }
                events.accept(event);
            }
        }
    }

    private HttpURLConnection open(String pathAndQuery, String method) throws IOException {
        URL url = new URL("http", InetAddress.getLoopbackAddress().getHostAddress(), endpoint.port(), pathAndQuery);
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        c.setReadTimeout(READ_TIMEOUT_MILLIS);
        c.setRequestProperty("Authorization", "Bearer " + endpoint.token());
        c.setUseCaches(false);
        return c;
    }

    private static void send(HttpURLConnection c, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        c.setFixedLengthStreamingMode(bytes.length);
        c.getOutputStream().write(bytes);
    }

    private static JsonObject readReply(HttpURLConnection c) throws IOException, ControlError {
        int status = c.getResponseCode();
        if (status != 200) {
            throw errorOf(status, readAll(c.getErrorStream()));
        }
        return Json.parseObject(readAll(c.getInputStream()));
    }

    private static ControlError errorOf(int status, String body) {
        try {
            JsonObject o = Json.parseObject(body);
            return new ControlError(status, o.optionalString("error").orElse("error"),
                    o.optionalString("message").orElse(body), (int) o.longValue("exitCode", -1));
        } catch (JsonException e) {
            return new ControlError(status, "http_" + status, "control API answered HTTP " + status, -1);
        }
    }

    private static String readAll(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            byte[] bytes = in.readNBytes(Json.MAX_INPUT_CHARS + 1);
            if (bytes.length > Json.MAX_INPUT_CHARS) {
                throw new IOException("control API reply exceeds " + Json.MAX_INPUT_CHARS + " bytes");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
