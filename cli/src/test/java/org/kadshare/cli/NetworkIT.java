package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kadshare.cli.NodeCluster.Member;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;

/** Real {@code node join} processes on loopback, driven by the short commands. */
class NetworkIT extends ClusterFixture {
    private static final String UNKNOWN = "ab".repeat(32);

    /** The bootstrap node and the content ID of {@link #shareThreeMebibytes}. */
    private Member boot;
    private String id;

    @Test
    void aFilePutOnOneNodeIsFetchedByteForByteOnAnotherOfFour() throws Exception {
        Member boot = cluster.start();
        Member a = cluster.start(boot.endpoint());
        Member b = cluster.start(boot.endpoint());
        Member c = cluster.start(boot.endpoint());
        byte[] bytes = new byte[1_500_000];
        new Random(42).nextBytes(bytes);
        Path file = Files.write(tmp.resolve("payload.bin"), bytes);

        NodeProcess.Result put = NodeCluster.run(a, "put", file.toString());
        assertThat(put.exitCode()).as(put + a.log()).isZero();
        String id = put.stdout().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        assertThat(put.stderr()).as("the put returns once its holder record is stored: " + put)
                .containsPattern("announced to [1-9][0-9]* nodes?");

        Path out = tmp.resolve("fetched.bin");
        NodeProcess.Result get = NodeCluster.run(c, "get", id, "-o", out.toString(), "--timeout", "60s",
                "--progress");
        assertThat(get.exitCode()).as(get + c.log() + a.log()).isZero();
        assertThat(get.stdout().strip()).isEqualTo(out.toString());
        // phases shorter than the follower's poll are not shown: a warmed node on loopback can find
        // the holders before the first look
        assertThat(get.stderr()).as("stderr is a file here: plain lines only")
                .containsPattern("node: (finding holders|connecting|downloading)\\.\\.\\.")
                .doesNotContain("\r", "\u001b");
        assertThat(Files.readAllBytes(out)).isEqualTo(bytes);

        String holderMetrics = metrics(a);
        assertThat(holderMetrics).contains("# TYPE kadshare_upload_bytes_total counter", "jvm_memory_used_bytes");
        assertThat(sample(holderMetrics, "kadshare_upload_bytes_total")).isPositive();
        assertThat(sample(holderMetrics, "kadshare_block_connections_total{security=\"encrypted\"}")).isPositive();
        assertThat(sample(holderMetrics, "kadshare_block_connections_total{security=\"clear\"}")).isZero();
        assertThat(sample(holderMetrics, "kadshare_dht_datagrams_received_total")).isPositive();
        assertThat(sample(holderMetrics, "kadshare_dht_routing_contacts{state=\"live\"}")).isPositive();
        assertThat(sample(metrics(c), "kadshare_download_bytes_total")).isEqualTo(bytes.length);

        NodeProcess.Result status = NodeCluster.run(b, "status", "--json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonObject s = Json.parseObject(status.stdout());
        assertThat(s.string("dhtAddress")).isEqualTo(b.endpoint());
        assertThat(s.longValue("routingContacts")).isPositive();

        NodeProcess.Result peers = NodeCluster.run(b, "peers", "--json");
        assertThat(Json.parseObject(peers.stdout()).list("peers")).as(peers.toString()).isNotEmpty();

        NodeProcess.Result ls = NodeCluster.run(c, "ls", "--json");
        assertThat(ls.stdout()).as(ls.toString()).contains(id);
        NodeProcess.Result providers = NodeCluster.run(b, "providers", id);
        assertThat(providers.exitCode()).as(providers.toString()).isZero();
        assertThat(providers.stdout()).contains(a.endpoint());
    }

    /** Starts a network of two, a holder of 3 MiB of random bytes; returns the content ID. */
    private String shareThreeMebibytes() throws Exception {
        boot = cluster.start();
        Member a = cluster.start(boot.endpoint());
        byte[] bytes = new byte[3 << 20];
        new Random(9).nextBytes(bytes);
        Path file = Files.write(tmp.resolve("big.bin"), bytes);
        id = NodeCluster.run(a, "put", file.toString()).stdout().strip();
        assertThat(id).matches("[0-9a-f]{64}");
        return id;
    }

    /**
     * Runs {@code script} in a private mount namespace with a 1 MiB tmpfs mounted on {@code $1}
     * (the mount vanishes with the shell); {@code $2} is the launcher, {@code $3} the ID, {@code $4}
     * the bootstrap node, {@code $5} a directory on the big disk.
     */
    private NodeProcess.Result onSmallDisk(String id, String script) throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small-disk"));
        Path big = Files.createDirectories(tmp.resolve("big-disk"));
        String node = NodeProcess.repositoryRoot().resolve("node").toString();
        List<String> command = new ArrayList<>("root".equals(System.getProperty("user.name"))
                ? List.of("unshare", "--mount") : List.of("unshare", "--map-root-user", "--mount"));
        command.addAll(List.of("sh", "-c", "mount -t tmpfs -o size=1m tmpfs \"$1\" || exit 99; " + script,
                "sh", small.toString(), node, id, boot.endpoint(), big.toString()));
        NodeProcess.Result r = NodeProcess.runCommand(command, Map.of(), Duration.ofSeconds(240));
        assertThat(r.exitCode()).as("could not mount a small tmpfs: " + r).isNotEqualTo(99);
        return r;
    }

    /** The shell command of a get of {@code $3} through {@code $4} with these data directory and destination. */
    private static String getInto(String dataDir, String destination) {
        return "\"$2\" --data-dir \"" + dataDir + "\" get \"$3\" -o \"" + destination
                + "\" --bootstrap \"$4\" --timeout 60s";
    }

    private static final String FILES = "echo files:; find \"$1\" \"$5\" -type f | sort; echo end-files; ";

    private static void assertDiskFullSaidPlainly(NodeProcess.Result r, String fullPath) {
        assertThat(r.stdout()).as(r.toString()).contains("exit=" + ExitCode.DISK_FULL);
        assertThat(r.stderr()).as(r.toString()).contains("disk full", fullPath).doesNotContain("\tat ", "Exception in");
        assertThat(r.stdout()).as("no temporary file is left: " + r).doesNotContain(".tmp\n", ".copy\n");
    }

    @Test
    void aDataDirectoryThatFillsDuringAGetSaysDiskFullKeepsThePartForAResumeAndLeavesNoDebris() throws Exception {
        NodeProcess.Result r = onSmallDisk(shareThreeMebibytes(), ""
                + getInto("$1/data", "$1/out.bin") + "; "
                + "echo \"exit=$?\"; " + FILES
                + "mount -o remount,size=16m \"$1\" || exit 98; "
                + getInto("$1/data", "$1/out.bin") + "; "
                + "echo \"again=$?\"; sha256sum \"$1/out.bin\"");

        assertDiskFullSaidPlainly(r, tmp.resolve("small-disk").toString());
        String firstFiles = r.stdout().substring(r.stdout().indexOf("files:"), r.stdout().indexOf("end-files"));
        assertThat(firstFiles).as("nothing appears at the destination").doesNotContain("out.bin");
        assertThat(firstFiles).as("the verified part and its state are kept")
                .contains("/store/partial/" + id + "/state");
        assertThat(r.stdout()).as("after space is freed the same get completes: " + r).contains("again=0");
        assertThat(r.stdout()).contains(sha256(tmp.resolve("big.bin")));
    }

    @Test
    void aDestinationDiskTooSmallForTheFileSaysDiskFullAndKeepsTheDownloadForAResume() throws Exception {
        NodeProcess.Result r = onSmallDisk(shareThreeMebibytes(), ""
                + getInto("$5/data", "$1/out.bin") + "; "
                + "echo \"exit=$?\"; " + FILES);

        assertDiskFullSaidPlainly(r, tmp.resolve("small-disk").resolve("out.bin").toString());
        assertThat(r.stderr()).contains("needs " + (3 << 20) + " bytes");
        assertThat(r.stdout()).doesNotContain("out.bin").contains("/store/partial/" + id + "/state");
    }

    @Test
    void aGetOfContentAlreadyHeldOntoAFullDiskSaysDiskFullNotANetworkError() throws Exception {
        NodeProcess.Result r = onSmallDisk(shareThreeMebibytes(), ""
                + getInto("$5/data", "$5/first.bin") + " "
                + "|| exit 97; "
                + getInto("$5/data", "$1/out.bin") + "; "
                + "echo \"exit=$?\"; " + FILES);

        assertThat(r.exitCode()).as("the first get fails: " + r).isNotEqualTo(97);
        assertDiskFullSaidPlainly(r, tmp.resolve("small-disk").resolve("out.bin").toString());
        assertThat(r.stdout()).doesNotContain("out.bin");
    }

    private static String sha256(Path file) throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        return java.util.HexFormat.of().formatHex(digest);
    }

    @Test
    void aFileSharedByALoneNodeIsFetchedThroughItFromAFreshDataDirectory() throws Exception {
        Member lone = cluster.start();
        byte[] bytes = new byte[300_000];
        new Random(7).nextBytes(bytes);
        Path file = Files.write(tmp.resolve("alone.bin"), bytes);
        NodeProcess.Result put = NodeCluster.run(lone, "put", file.toString());
        assertThat(put.exitCode()).as(put + lone.log()).isZero();
        String id = put.stdout().strip();

        Path out = tmp.resolve("from-the-lone-holder.bin");
        NodeProcess.Result get = NodeProcess.run(Map.of(), "--data-dir", tmp.resolve("fresh-getter").toString(),
                "get", id, "-o", out.toString(), "--bootstrap", lone.endpoint(), "--timeout", "60s");
        assertThat(get.exitCode()).as(get + lone.log()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
    }

    @Test
    void aKilledNodeRestartedWithoutABootstrapAddressRejoinsFromItsSavedContactsAndFindsAFile() throws Exception {
        Member boot = cluster.start();
        Member holder = cluster.start(boot.endpoint());
        Member restarting = cluster.start(boot.endpoint());
        Path contacts = restarting.dataDir().resolve("contacts");
        for (int i = 0; i < 150 && !Files.exists(contacts); i++) { // saved just after the join, in the background
            Thread.sleep(100);
        }
        assertThat(contacts).exists();
        Path file = Files.write(tmp.resolve("after-restart.bin"), new byte[] {1, 2, 3, 4, 5});
        NodeProcess.Result put = NodeCluster.run(holder, "put", file.toString());
        assertThat(put.exitCode()).as(put + holder.log()).isZero();
        String id = put.stdout().strip();

        restarting.process().destroyForcibly();
        assertThat(restarting.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        Member again = cluster.launch(restarting.dataDir(), restarting.address(), restarting.port());
        NodeCluster.awaitLine(again, "ready");
        NodeProcess.Result status = NodeCluster.run(again, "status", "--json");
        assertThat(Json.parseObject(status.stdout()).longValue("routingContacts")).as(status + again.log())
                .isPositive();
        NodeProcess.Result providers = NodeCluster.run(again, "providers", id);
        assertThat(providers.exitCode()).as(providers + again.log()).isZero();
        assertThat(providers.stdout()).contains(holder.address());
    }

    @Test
    void anUnknownHashIsNotFoundAndAMalformedOneIsAUsageError() throws Exception {
        Member boot = cluster.start();
        Member a = cluster.start(boot.endpoint());

        NodeProcess.Result unknown = NodeCluster.run(a, "get", UNKNOWN, "-o", tmp.resolve("x").toString());
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCode.NOT_FOUND);
        NodeProcess.Result malformed = NodeCluster.run(a, "get", "xyz");
        assertThat(malformed.exitCode()).as(malformed.toString()).isEqualTo(ExitCode.USAGE);
        assertThat(malformed.stderr()).contains("malformed hash");
    }

    @Test
    void aGetThroughAnUnreachableBootstrapFailsWithANetworkOrTimeoutCode() throws Exception {
        int deadPort = NodeCluster.freePort("127.0.0.1");
        NodeProcess.Result r = NodeProcess.run(java.util.Map.of(), "--data-dir", tmp.resolve("lonely").toString(),
                "get", UNKNOWN, "-o", tmp.resolve("x").toString(), "--bootstrap", "127.0.0.1:" + deadPort,
                "--timeout", "5s");
        assertThat(r.exitCode()).as(r.toString()).isIn(ExitCode.NETWORK, ExitCode.TIMEOUT);
        assertThat(r.stderr()).contains("127.0.0.1:" + deadPort);
    }

    @Test
    void aSecondNodeOnATakenPortExitsWithPortInUse() throws Exception {
        Member a = cluster.start();
        Member clash = cluster.launch(Files.createDirectories(tmp.resolve("other")), a.address(), a.port());
        assertThat(clash.process().waitFor(60, TimeUnit.SECONDS)).as(clash.log()).isTrue();
        assertThat(clash.process().exitValue()).as(clash.log()).isEqualTo(ExitCode.PORT_IN_USE);
        assertThat(clash.log()).contains("already in use");
    }

    @Test
    void aSecondNodeOnTheSameDataDirectoryIsRefused() throws Exception {
        Member a = cluster.start();
        Member twin = cluster.launch(a.dataDir(), a.address(), NodeCluster.freePort(a.address()));
        assertThat(twin.process().waitFor(60, TimeUnit.SECONDS)).as(twin.log()).isTrue();
        assertThat(twin.process().exitValue()).as(twin.log()).isEqualTo(ExitCode.ALREADY_RUNNING);
        assertThat(twin.log()).contains("already running");
    }

    @Test
    void theControlApiRefusesRequestsWithoutOrWithAWrongToken() throws Exception {
        Member a = cluster.start();
        Path control = a.dataDir().resolve("control.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(control))).isEqualTo("rw-------");
        JsonObject endpoint = Json.parseObject(Files.readString(control));
        URL status = new URL("http://127.0.0.1:" + endpoint.longValue("port") + "/v1/status");

        assertThat(statusCode(status, null)).isEqualTo(401);
        assertThat(statusCode(status, "Bearer " + "0".repeat(64))).isEqualTo(401);
        assertThat(statusCode(status, "Bearer " + endpoint.string("token"))).isEqualTo(200);
    }

    @Test
    void aGetIntoAnExistingFileIsRefusedWithTheDestinationCode() throws Exception {
        Member a = cluster.start();
        Path existing = Files.writeString(tmp.resolve("taken.txt"), "mine");
        NodeProcess.Result r = NodeCluster.run(a, "get", UNKNOWN, "-o", existing.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.DESTINATION);
        assertThat(Files.readString(existing)).isEqualTo("mine");
    }

    @Test
    void sigintStopsAJoinedNodeCleanlyAndReleasesTheLock() throws Exception {
        Member a = cluster.start();
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(a.process().pid())).start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(a.process().waitFor(60, TimeUnit.SECONDS)).as(a.log()).isTrue();
        assertThat(a.process().exitValue()).as(a.log()).isZero();
        assertThat(a.log()).contains("stopped");
        assertThat(a.dataDir().resolve("control.json")).doesNotExist();
        try (FileChannel ch = FileChannel.open(a.dataDir().resolve("node.lock"), StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock()) {
            assertThat(lock).isNotNull();
        }
        NodeProcess.Result status = NodeCluster.run(a, "status");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCode.NO_NODE);
    }

    @Test
    void sixteenSlowUnauthenticatedConnectionsDoNotStopNodeStatus() throws Exception {
        Member a = cluster.start();
        JsonObject endpoint = Json.parseObject(Files.readString(a.dataDir().resolve("control.json")));
        List<java.net.Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                java.net.Socket s = new java.net.Socket("127.0.0.1", (int) endpoint.longValue("port"));
                s.getOutputStream().write("GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Slow: 1".getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII));
                slow.add(s);
            }
            NodeProcess.Result status = NodeCluster.run(a, "status", "--json");
            assertThat(status.exitCode()).as(status + a.log()).isZero();
            assertThat(Json.parseObject(status.stdout()).string("dhtAddress")).isEqualTo(a.endpoint());
        } finally {
            for (java.net.Socket s : slow) {
                s.close();
            }
        }
    }

    @Test
    void nodeStopShutsTheNodeDownCleanlyAndLogsNoWarning() throws Exception {
        Member boot = cluster.start();
        Member a = cluster.start(boot.endpoint());
        Path file = Files.writeString(tmp.resolve("note.txt"), "shared until stopped\n");
        NodeProcess.Result put = NodeCluster.run(a, "put", file.toString());
        assertThat(put.exitCode()).as(put + a.log()).isZero();

        NodeProcess.Result stop = NodeCluster.run(a, "stop", "--json");

        assertThat(stop.exitCode()).as(stop + a.log()).isZero();
        assertThat(Json.parseObject(stop.stdout()).bool("stopped", false)).isTrue();
        assertThat(a.process().isAlive()).as("stop returns once the node has exited").isFalse();
        assertThat(a.process().exitValue()).as(a.log()).isZero();
        assertThat(a.log()).contains("stopped").doesNotContain(" WARN ", "Exception");
        assertThat(a.dataDir().resolve("control.json")).doesNotExist();
        NodeProcess.Result again = NodeCluster.run(a, "stop");
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(ExitCode.NO_NODE);
    }

    /** GET /metrics of a member, without a token. */
    private static String metrics(Member m) throws IOException {
        JsonObject endpoint = Json.parseObject(Files.readString(m.dataDir().resolve("control.json")));
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + endpoint.longValue("port")
                + "/metrics").openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(30_000);
        assertThat(c.getResponseCode()).isEqualTo(200);
        assertThat(c.getContentType()).startsWith("text/plain; version=0.0.4");
        try (java.io.InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The value of one sample line ({@code name{labels} value}) of a scrape. */
    private static double sample(String scrape, String nameAndLabels) {
        return scrape.lines().filter(l -> l.startsWith(nameAndLabels + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(nameAndLabels.length() + 1).strip()))
                .orElseThrow(() -> new AssertionError("no sample " + nameAndLabels + " in\n" + scrape));
    }

    private static int statusCode(URL url, String authorization) throws IOException {
        HttpURLConnection c = (HttpURLConnection) url.openConnection();
        c.setConnectTimeout(5_000);
        c.setReadTimeout(10_000);
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
