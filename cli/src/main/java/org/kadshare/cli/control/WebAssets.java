package org.kadshare.cli.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's files, kept as resources in the jar and read once; nothing comes from
 * elsewhere. The {@code open} ones (the login page, its script, the style sheet) are served
 * without a session; they hold no data of the node.
 */
final class WebAssets {
    /** One file of the dashboard. */
    record Asset(String contentType, byte[] bytes, boolean open) {
    }

    private static final String HTML = "text/html; charset=utf-8";
    private static final String JS = "text/javascript; charset=utf-8";
    private static final String CSS = "text/css; charset=utf-8";
    private static final Map<String, Asset> ASSETS = Map.of(
            "/", load("index.html", HTML, false),
            "/app.js", load("app.js", JS, false),
            "/app.css", load("app.css", CSS, true),
            "/login", load("login.html", HTML, true),
            "/login.js", load("login.js", JS, true));

    private WebAssets() {
    }

    static Optional<Asset> find(String path) {
        return Optional.ofNullable(ASSETS.get(path));
    }

    /** Whether a {@code Host} header names this server, not another name that resolves to it. */
    static boolean isOwnHost(String host, int port) {
        return host != null && (host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port));
    }

    static boolean isOwnOrigin(String origin, int port) {
        return origin.equals("http://127.0.0.1:" + port) || origin.equals("http://localhost:" + port);
    }

    /** A short page that explains a refusal; {@code html} is trusted markup of ours. */
    static byte[] messagePage(int status, String title, String html) {
        return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title
                + " - kadshare</title><link rel=\"stylesheet\" href=\"/ui/app.css\"></head>\n<body class=\"message\">"
                + "<main><h1>" + title + "</h1><p id=\"message\" data-status=\"" + status + "\">" + html
                + "</p></main></body></html>\n").getBytes(StandardCharsets.UTF_8);
    }

    private static Asset load(String name, String contentType, boolean open) {
        try (InputStream in = WebAssets.class.getResourceAsStream("/org/kadshare/cli/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the jar");
            }
            return new Asset(contentType, in.readAllBytes(), open);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
