package org.kadshare.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API over real loopback sockets. */
class ControlServerTest {
    @TempDir
    Path dataDir;

    private ControlServer server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        server = started(ControlLimits.defaults());
        ControlFile.write(dataDir, new ControlEndpoint(server.port(), token, 1));
    }

    private ControlServer started(ControlLimits limits) throws IOException {
        token = ControlEndpoint.newToken();
        ControlServer server = ControlServer.bind(token, t -> new ControlError(404, "not_found", t.getMessage(), 9),
                limits);
        server.get("/v1/status", r -> Map.of("ok", true));
        server.post("/v1/echo", r -> Map.of("said", r.string("say")));
        server.get("/v1/things", r -> Map.of("listed", true));
        server.post("/v1/things", r -> Map.of("added", r.string("name")));
        server.get("/v1/missing", r -> {
            throw new IllegalStateException("nothing here");
        });
        server.getText("/metrics", () -> new ControlServer.TextReply("text/plain; version=0.0.4",
                "up 1\n".getBytes(StandardCharsets.UTF_8)), false);
        server.postStream("/v1/count", (r, events) -> {
            for (long i = 1; i <= r.longValue("to"); i++) {
                events.emit(Map.of("event", "n", "n", i));
            }
        });
        server.start();
        return server;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void requestsWithoutOrWithAWrongTokenGet401() throws Exception {
        assertThat(status(null)).isEqualTo(401);
        assertThat(status("Bearer " + "0".repeat(64))).isEqualTo(401);
        assertThat(status("Basic " + token)).isEqualTo(401);
        assertThat(status("Bearer " + token)).isEqualTo(200);
    }

    @Test
    void onlyLoopbackCallersAreServed() throws Exception {
        assertThat(ControlAuth.check(InetAddress.getByName("192.0.2.7"), "Bearer " + token, token))
                .isEqualTo(ControlAuth.FORBIDDEN);
        assertThat(ControlAuth.check(InetAddress.getByName("127.0.0.1"), "Bearer " + token, token))
                .isEqualTo(ControlAuth.OK);
    }

    @Test
    void theClientFindsTheServerThroughTheOwnerOnlyControlFile() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ControlFile.path(dataDir))))
                .isEqualTo("rw-------");
        ControlClient client = ControlClient.find(dataDir).orElseThrow();
        assertThat(client.post("/v1/echo", Map.of("say", "hi")).string("said")).isEqualTo("hi");
        List<Long> seen = new ArrayList<>();
        client.postStream("/v1/count", Map.of("to", 3), e -> seen.add(e.longValue("n")));
        assertThat(seen).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aHandlerFailureReachesTheClientWithItsExitCode() throws Exception {
        ControlClient client = ControlClient.find(dataDir).orElseThrow();
        assertThatThrownBy(() -> client.get("/v1/missing", Map.of())).isInstanceOfSatisfying(ControlError.class,
                e -> {
                    assertThat(e.httpStatus()).isEqualTo(404);
                    assertThat(e.exitCode()).isEqualTo(9);
                    assertThat(e.getMessage()).isEqualTo("nothing here");
                });
    }

    @Test
    void aMalformedBodyIsABadRequest() throws Exception {
        ControlClient client = ControlClient.find(dataDir).orElseThrow();
        assertThatThrownBy(() -> client.post("/v1/echo", Map.of("other", 1)))
                .isInstanceOfSatisfying(ControlError.class, e -> assertThat(e.httpStatus()).isEqualTo(404));
    }

    @Test
    void aControlFileWhoseNodeIsGoneMeansNoNodeRuns() throws Exception {
        server.close();
        assertThat(ControlClient.find(dataDir)).isEmpty();
    }

    @Test
    void noControlFileMeansNoNodeRuns(@TempDir Path empty) throws Exception {
        assertThat(ControlClient.find(empty)).isEmpty();
    }

    @Test
    void aTokenOfAnEarlierRunOfTheNodeIsRefusedWithAJsonError() throws Exception {
        String earlier = token;
        server.close();
        server = started(ControlLimits.defaults());

        HttpURLConnection c = open("/v1/status", "Bearer " + earlier);
        assertThat(c.getResponseCode()).isEqualTo(401);
        JsonObject body = Json.parseObject(new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertThat(body.string("error")).isEqualTo("unauthorized");
        assertThat(body.string("message")).contains("token");
    }

    @Test
    void anOpenTextRouteIsServedWithoutTheTokenAndTheJsonRoutesStillNeedIt() throws Exception {
        HttpURLConnection c = open("/metrics", null);
        assertThat(c.getResponseCode()).isEqualTo(200);
        assertThat(c.getContentType()).isEqualTo("text/plain; version=0.0.4");
        assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("up 1\n");
        assertThat(open("/v1/status", null).getResponseCode()).isEqualTo(401);
    }

    @Test
    void anUnknownRouteIs404ForTheTokenHolderAnd401ForEveryoneElse() throws Exception {
        HttpURLConnection c = open("/v1/nothing-here", "Bearer " + token);
        assertThat(c.getResponseCode()).isEqualTo(404);
        JsonObject body = Json.parseObject(new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertThat(body.string("error")).isEqualTo("no_such_endpoint");
        assertThat(open("/v1/nothing-here", null).getResponseCode()).isEqualTo(401);
        assertThat(open("/v1/echo", "Bearer " + token).getResponseCode()).as("GET on a POST route").isEqualTo(405);
    }

    @Test
    void onePathServesAGetAndAPostRouteEachByItsMethod() throws Exception {
        ControlClient client = ControlClient.find(dataDir).orElseThrow();
        assertThat(client.get("/v1/things", Map.of()).bool("listed", false)).isTrue();
        assertThat(client.post("/v1/things", Map.of("name", "x")).string("added")).isEqualTo("x");
        assertThatThrownBy(() -> server.post("/v1/things", r -> Map.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POST /v1/things");
    }

    @Test
    void twoHundredConcurrentRequestsAreAllAnswered() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/status"))
                .header("Authorization", "Bearer " + token).build();
        List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            replies.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        assertThat(replies).allSatisfy(r -> {
            assertThat(r.get().statusCode()).isEqualTo(200);
            assertThat(Json.parseObject(r.get().body()).bool("ok", false)).isTrue();
        });
    }

    @Test
    void sixteenSlowUnauthenticatedConnectionsDoNotStopAnswering() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port());
                s.getOutputStream().write("GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                slow.add(s);
            }
            ControlClient client = ControlClient.find(dataDir).orElseThrow();
            assertThat(client.get("/v1/status", Map.of()).bool("ok", false)).isTrue();
            assertThat(slow).allSatisfy(s -> assertThat(s.isClosed()).isFalse());
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void aClientSendingOneHeaderByteASecondIsCutOffWith408() throws Exception {
        server.close();
        server = started(ControlLimits.defaults().withHeaderTimeoutMillis(1_500));
        byte[] head = ("GET /v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        int sent = 0;
        String reply = "";
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(1_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            while (sent < head.length) {
                try {
                    out.write(head[sent]);
                    out.flush();
                    sent++;
                } catch (IOException closed) {
                    break;
                }
                try {
                    byte[] got = in.readNBytes(12);
                    reply = new String(got, StandardCharsets.US_ASCII);
                    break;
                } catch (SocketTimeoutException stillOpen) {
                    continue;
                }
            }
        }
        assertThat(sent).as("the server cut the client off before its head was complete").isLessThan(head.length);
        assertThat(reply).isEqualTo("HTTP/1.1 408");
    }

    @Test
    void requestsBeyondTheWorkersWaitInTheQueueAndBeyondTheQueueGet503() throws Exception {
        server.close();
        token = ControlEndpoint.newToken();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        server = ControlServer.bind(token, t -> new ControlError(500, "internal", t.toString(), 1),
                ControlLimits.defaults().withRequestThreads(1, 1));
        server.get("/v1/slow", r -> {
            entered.countDown();
            release.await(60, TimeUnit.SECONDS);
            return Map.of("ok", true);
        });
        server.start();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest slow = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/slow"))
                .header("Authorization", "Bearer " + token).build();
        CompletableFuture<HttpResponse<String>> working = http.sendAsync(slow, HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(60, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<HttpResponse<String>>> more = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            more.add(http.sendAsync(slow, HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < 600 && more.stream().filter(CompletableFuture::isDone).count() < 2; i++) {
            Thread.sleep(100);
        }
        release.countDown();

        assertThat(working.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> r : more) {
            HttpResponse<String> answer = r.get(60, TimeUnit.SECONDS);
            statuses.add(answer.statusCode());
            if (answer.statusCode() == 503) {
                assertThat(Json.parseObject(answer.body()).string("error")).isEqualTo("busy");
            }
        }
        assertThat(statuses).as("one waits in the queue of one, the others are refused").containsExactlyInAnyOrder(
                200, 503, 503);
    }

    private HttpURLConnection open(String path, String authorization) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + server.port() + path)
                .openConnection();
        if (authorization != null) {
            c.setRequestProperty("Authorization", authorization);
        }
        return c;
    }

    private int status(String authorization) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + server.port() + "/v1/status")
                .openConnection();
        if (authorization != null) {
            c.setRequestProperty("Authorization", authorization);
        }
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }
}
