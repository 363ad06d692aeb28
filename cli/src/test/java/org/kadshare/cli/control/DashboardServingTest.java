package org.kadshare.cli.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's pages, login and session over real loopback sockets. */
class DashboardServingTest {
    private final HttpClient http = HttpClient.newHttpClient();
    private ControlServer server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        token = ControlEndpoint.newToken();
        server = ControlServer.bind(token, t -> new ControlError(500, "internal", t.getMessage(), 1));
        server.get("/v1/status", r -> Map.of("ok", true));
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theLoginAddressComesWithTheTokenOnlyAndCarriesItsSecretInTheFragment() throws Exception {
        assertThat(send(post(ControlServer.WEB_LOGIN_PATH, "{}").build()).statusCode()).isEqualTo(401);
        String url = loginUrl();
        assertThat(url).startsWith("http://127.0.0.1:" + server.port() + "/ui/login#secret=");
    }

    @Test
    void aSecretIsExchangedOnceForAnHttpOnlySameSiteStrictCookie() throws Exception {
        String secret = secretOf(loginUrl());
        HttpResponse<String> first = send(session(secret));
        assertThat(first.statusCode()).isEqualTo(200);
        String cookie = first.headers().firstValue("set-cookie").orElseThrow();
        assertThat(cookie).startsWith("kadshare_" + server.port() + "=").contains("HttpOnly")
                .contains("SameSite=Strict").contains("Path=/");
        HttpResponse<String> again = send(session(secret));
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("login_expired").contains("node web");
    }

    @Test
    void theDashboardWithoutASessionIsAClearPageNotAStackTrace() throws Exception {
        HttpResponse<String> r = send(page("/ui/").build());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/html");
        assertThat(r.body()).contains("Not signed in").contains("node web").doesNotContain("Exception");
        HttpResponse<String> wrongCookie = send(page("/ui/").header("Cookie", "kadshare_" + server.port() + "="
                + "ab".repeat(24)).build());
        assertThat(wrongCookie.statusCode()).isEqualTo(401);
    }

    @Test
    void aSessionCookieOpensTheDashboardAndItsScript() throws Exception {
        String cookie = signIn();
        HttpResponse<String> index = send(page("/ui/").header("Cookie", cookie).build());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).contains("<script src=\"/ui/app.js\"");
        assertThat(index.headers().firstValue("content-security-policy").orElseThrow()).contains("default-src 'self'");
        assertThat(send(page("/ui/app.js").header("Cookie", cookie).build()).statusCode()).isEqualTo(200);
    }

    @Test
    void anUnknownDashboardPageIsAnHtml404() throws Exception {
        HttpResponse<String> r = send(page("/ui/nothing-here").header("Cookie", signIn()).build());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("No such page").contains("/ui/nothing-here");
    }

    @Test
    void theCookieOpensTheApiOnlyWithTheDashboardHeader() throws Exception {
        String cookie = signIn();
        assertThat(send(page("/v1/status").header("Cookie", cookie).build()).statusCode()).isEqualTo(401);
        HttpResponse<String> r = send(page("/v1/status").header("Cookie", cookie)
                .header(ControlServer.DASHBOARD_HEADER, "1").build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"ok\":true");
    }

    @Test
    void aLoginPostedFromAnotherOriginIsRefused() throws Exception {
        String secret = secretOf(loginUrl());
        HttpRequest foreign = HttpRequest.newBuilder(uri("/ui/session")).header("Origin", "http://127.0.0.1:1")
                .POST(HttpRequest.BodyPublishers.ofString("{\"secret\":\"" + secret + "\"}")).build();
        assertThat(send(foreign).statusCode()).isEqualTo(403);
        assertThat(send(session(secret)).statusCode()).isEqualTo(200);
    }

    @Test
    void aPageAskedForUnderAnotherHostNameIsRefused() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /ui/login HTTP/1.1\r\nHost: attacker.example:" + server.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(reply).startsWith("HTTP/1.1 421").contains("http://127.0.0.1:" + server.port() + "/ui/");
        }
    }

    @Test
    void theLoginPageIsServedWithoutASession() throws Exception {
        HttpResponse<String> r = send(page("/ui/login").build());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("/ui/login.js");
    }

    private String signIn() throws Exception {
        String cookie = send(session(secretOf(loginUrl()))).headers().firstValue("set-cookie").orElseThrow();
        return cookie.substring(0, cookie.indexOf(';'));
    }

    private String loginUrl() throws Exception {
        HttpResponse<String> r = send(post(ControlServer.WEB_LOGIN_PATH, "{}").header("Authorization",
                "Bearer " + token).build());
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.parseObject(r.body()).string("url");
    }

    private static String secretOf(String url) {
        return url.substring(url.indexOf("#secret=") + "#secret=".length());
    }

    private HttpRequest session(String secret) {
        return post("/ui/session", "{\"secret\":\"" + secret + "\"}").build();
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder page(String path) {
        return HttpRequest.newBuilder(uri(path)).GET();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
