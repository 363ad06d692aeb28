package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.cli.control.ControlEndpoint;
import org.kadshare.cli.control.ControlServer;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;

/** {@code POST /v1/upload}: files from the browser, streamed to the data directory and shared. */
class BrowserUploadsTest {
    private static final long MB = 1_000_000;

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicLong free = new AtomicLong(Long.MAX_VALUE / 2);
    private ControlServer server;
    private String token;

    private void start(long maxBytes) throws Exception {
        token = ControlEndpoint.newToken();
        server = ControlServer.bind(token, ControlRoutes::error);
        server.get("/v1/status", r -> Map.of("ok", true));
        server.uploads(new BrowserUploads(dataDir, maxBytes, dir -> free.get(),
                (file, name) -> Map.of("name", name, "path", file.toString(), "lengthBytes", Files.size(file))));
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anUploadFarLargerThanTheJsonBodyLimitIsKeptWholeUnderItsName() throws Exception {
        start(BrowserUploads.DEFAULT_MAX_BYTES);
        byte[] content = random(3 * 1024 * 1024 + 17);
        HttpResponse<String> r = upload("notes 1.txt", content);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject reply = Json.parseObject(r.body());
        Path kept = dataDir.resolve(BrowserUploads.DIRECTORY).resolve("notes 1.txt");
        assertThat(reply.string("path")).isEqualTo(kept.toString());
        assertThat(Files.readAllBytes(kept)).isEqualTo(content);
    }

    @Test
    void aSecondUploadOfTheSameNameDoesNotReplaceTheFirst() throws Exception {
        start(BrowserUploads.DEFAULT_MAX_BYTES);
        assertThat(upload("a.txt", "one".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        assertThat(upload("a.txt", "two".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(200);
        Path dir = dataDir.resolve(BrowserUploads.DIRECTORY);
        assertThat(Files.readString(dir.resolve("a.txt"))).isEqualTo("one");
        assertThat(Files.readString(dir.resolve("a (2).txt"))).isEqualTo("two");
    }

    @Test
    void aTenMegabyteUploadOntoAFullDiskIsRefusedClearlyAndLeavesNothingBehind() throws Exception {
        start(BrowserUploads.DEFAULT_MAX_BYTES);
        free.set(BrowserUploads.RESERVE_BYTES + MB);
        HttpResponse<String> r = upload("big.bin", random((int) (10 * MB)));
        assertThat(r.statusCode()).isEqualTo(422);
        JsonObject error = Json.parseObject(r.body());
        assertThat(error.string("error")).isEqualTo("disk_full");
        assertThat(error.string("message")).contains("disk full").contains("nothing was stored");
        assertThat(leftInUploads()).isEmpty();
        assertThat(status()).isEqualTo(200);
    }

    @Test
    void anUploadThatFitsWithTheReserveLeftIsAccepted() throws Exception {
        start(BrowserUploads.DEFAULT_MAX_BYTES);
        free.set(BrowserUploads.RESERVE_BYTES + 2 * MB);
        assertThat(upload("fits.bin", random((int) MB)).statusCode()).isEqualTo(200);
    }

    @Test
    void anUploadOverTheLimitIsRefusedWith413() throws Exception {
        start(MB);
        HttpResponse<String> r = upload("big.bin", random((int) MB + 1));
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(Json.parseObject(r.body()).string("message")).contains("exceeds the limit of " + MB);
        assertThat(leftInUploads()).isEmpty();
    }

    @Test
    void anUploadWithoutTheTokenIsRefusedBeforeAnythingIsWritten() throws Exception {
        start(BrowserUploads.DEFAULT_MAX_BYTES);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v1/upload?name=x"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(random(1000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Files.exists(dataDir.resolve(BrowserUploads.DIRECTORY))).isFalse();
    }

    @Test
    void aNameWithASlashOrNoNameIsAUsageError() throws Exception {
        start(BrowserUploads.DEFAULT_MAX_BYTES);
        assertThat(upload("../escape", random(10)).statusCode()).isEqualTo(400);
        assertThat(upload("", random(10)).statusCode()).isEqualTo(400);
        assertThat(Files.exists(dataDir.resolve("escape"))).isFalse();
    }

    @Test
    void aFailedShareDeletesTheUploadedFile() throws Exception {
        token = ControlEndpoint.newToken();
        server = ControlServer.bind(token, ControlRoutes::error);
        server.uploads(new BrowserUploads(dataDir, MB, dir -> Long.MAX_VALUE / 2, (file, name) -> {
            throw new CliException(ExitCode.IO, "cannot hash " + name);
        }));
        server.start();
        HttpResponse<String> r = upload("x.bin", random(100));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("cannot hash x.bin");
        assertThat(leftInUploads()).isEmpty();
    }

    @Test
    void aDiskThatFillsUpDuringTheUploadIsReportedAsDiskFull() {
        Exception told = new BrowserUploads(dataDir, MB, dir -> 0, (file, name) -> Map.of())
                .writeFailed(new java.io.IOException("No space left on device"), 3 * 1024 * 1024);
        assertThat(ControlRoutes.error(told).code()).isEqualTo("disk_full");
        assertThat(told.getMessage()).isEqualTo("disk full: the upload stopped after 3.0 MiB; nothing was stored");
    }

    @Test
    void otherWriteFailuresAreToldAsTheyAre() {
        java.io.IOException broken = new java.io.IOException("Input/output error");
        assertThat(new BrowserUploads(dataDir, MB, dir -> 0, (file, name) -> Map.of()).writeFailed(broken, 0))
                .isSameAs(broken);
    }

    @Test
    void numberedNamesKeepTheExtension() {
        assertThat(BrowserUploads.numbered("a.tar", 2)).isEqualTo("a (2).tar");
        assertThat(BrowserUploads.numbered("README", 3)).isEqualTo("README (3)");
        assertThat(BrowserUploads.numbered(".profile", 2)).isEqualTo(".profile (2)");
    }

    private java.util.List<Path> leftInUploads() throws Exception {
        Path dir = dataDir.resolve(BrowserUploads.DIRECTORY);
        if (!Files.exists(dir)) {
            return java.util.List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private int status() throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/v1/status")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpResponse<String> upload(String name, byte[] content) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/v1/upload?name=" + URLEncoder.encode(name,
                StandardCharsets.UTF_8).replace("+", "%20"))).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
