package org.kadshare.cli.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    @TempDir
    Path dataDir;

    private ControlServer server;
    private String token;

    @BeforeEach
    void start() throws Exception {
        token = ControlEndpoint.newToken();
        server = ControlServer.bind(token, t -> new ControlError(404, "not_found", t.getMessage(), 9));
        server.get("/v1/status", r -> Map.of("ok", true));
        server.post("/v1/echo", r -> Map.of("said", r.string("say")));
        server.get("/v1/missing", r -> {
            throw new IllegalStateException("nothing here");
        });
        server.postStream("/v1/count", (r, events) -> {
            for (long i = 1; i <= r.longValue("to"); i++) {
                events.emit(Map.of("event", "n", "n", i));
            }
        });
        server.start();
        ControlFile.write(dataDir, new ControlEndpoint(server.port(), token, 1));
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
