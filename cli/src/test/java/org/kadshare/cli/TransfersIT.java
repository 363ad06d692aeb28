package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.kadshare.cli.NodeCluster.Member;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.ControlError;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;

/**
 * Transfers through real {@code node} processes on loopback: a detached get, listed, paused,
 * resumed to a byte-identical file, and cancelled with its verified part removed. The holder's
 * upload rate is limited so that a download lasts long enough to be paused in the middle.
 */
class TransfersIT extends ClusterFixture {
    private static final int FILE_BYTES = 3_000_000;
    private static final List<String> SLOW_HOLDER = List.of("--upload-rate", "200000");
    private static final long WAIT_MILLIS = 120_000;

    @Test
    void aDetachedGetIsListedPausedResumedAndCompletesByteIdentical() throws Exception {
        Member holder = cluster.start(SLOW_HOLDER);
        Member getter = cluster.start(holder.endpoint());
        Path source = randomFile("film.bin", 11);
        String id = put(holder, source);
        Path into = Files.createDirectories(tmp.resolve("downloads"));

        NodeProcess.Result detached = NodeCluster.run(getter, "get", "--detach", id, "-o", into + "/");
        assertThat(detached.exitCode()).as(detached + getter.log()).isZero();
        String transfer = detached.stdout().strip();
        assertThat(transfer).isEqualTo("d1");

        JsonObject moving = await(getter, transfer, t -> t.longValue("bytesDone") > 0);
        assertThat(moving.string("direction")).isEqualTo("download");
        assertThat(moving.string("id")).isEqualTo(id);
        assertThat(moving.bool("detached", false)).isTrue();
        assertThat(moving.longValue("totalBytes")).isEqualTo(FILE_BYTES);
        JsonObject upload = awaitUpload(holder);
        assertThat(upload.string("id")).isEqualTo(id);
        assertThat(upload.string("state")).isEqualTo("running");

        NodeProcess.Result pause = NodeCluster.run(getter, "pause", transfer, "--json");
        assertThat(pause.exitCode()).as(pause + getter.log()).isZero();
        JsonObject paused = JsonObject.of(Json.parse(pause.stdout()));
        assertThat(paused.string("state")).as("paused before the slow holder sent everything: " + paused)
                .isEqualTo("paused");
        assertThat(paused.longValue("bytesDone")).isLessThan(FILE_BYTES);
        NodeProcess.Result again = NodeCluster.run(getter, "pause", transfer);
        assertThat(again.exitCode()).as("pausing twice is no error: " + again).isZero();
        assertThat(again.stderr()).contains("transfer d1 is paused");
        NodeProcess.Result table = NodeCluster.run(getter, "transfers");
        assertThat(table.stdout()).contains("d1").contains("paused").contains(id.substring(0, 12));
        assertThat(into.resolve("film.bin")).as("nothing is written before the end").doesNotExist();

        NodeProcess.Result resume = NodeCluster.run(getter, "resume", transfer);
        assertThat(resume.exitCode()).as(resume + getter.log()).isZero();
        assertThat(resume.stderr()).contains("transfer d1 is running");

        JsonObject done = await(getter, transfer, t -> !"running".equals(t.string("state")));
        assertThat(done.string("state")).as(done + getter.log() + holder.log()).isEqualTo("done");
        assertThat(done.string("destination")).isEqualTo(into.resolve("film.bin").toString());
        assertThat(Files.readAllBytes(into.resolve("film.bin"))).isEqualTo(Files.readAllBytes(source));

        NodeProcess.Result late = NodeCluster.run(getter, "pause", transfer, "--json");
        assertThat(late.exitCode()).as("pausing a finished download: " + late).isEqualTo(ExitCode.CONFLICT);
        assertThat(JsonObject.of(Json.parse(late.stdout())).string("message")).contains("it is done");
        NodeProcess.Result unknown = NodeCluster.run(getter, "cancel", "d99");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(unknown.stderr()).contains("no transfer d99");

        ControlClient api = ControlClient.find(getter.dataDir()).orElseThrow();
        assertThat(api.get("/v1/transfers", Map.of("transfer", "d1")).string("state")).isEqualTo("done");
        assertRefused(() -> api.post("/v1/transfers/cancel", Map.of()), 400, "usage", "missing field \"transfer\"");
        assertRefused(() -> api.post("/v1/transfers", Map.of("id", id, "out", "relative/path")), 400, "usage",
                "absolute");
        assertRefused(() -> api.post("/v1/transfers", Map.of("id", id, "out", into.resolve("film.bin").toString())),
                409, "destination", "exists");
        assertRefused(() -> api.get("/v1/transfers", Map.of("transfer", "u99")), 404, "no_such_transfer", "u99");

        NodeProcess.Result ls = NodeCluster.run(holder, "ls", "--json");
        JsonObject shared = JsonObject.of(JsonObject.of(Json.parse(ls.stdout())).list("files").get(0));
        assertThat(shared.longValue("uploadedBytes")).as(ls.toString()).isGreaterThanOrEqualTo(FILE_BYTES);
        assertThat(shared.longValue("uploads")).isGreaterThanOrEqualTo(1);
        assertThat(NodeCluster.run(holder, "ls").stdout()).contains("uploaded ");
        assertThat(Files.readString(holder.stderr())).contains("upload of " + id).contains("ended: ");
    }

    @Test
    void aCancelledDownloadLeavesNoVerifiedPartAndCannotBeResumed() throws Exception {
        Member holder = cluster.start(SLOW_HOLDER);
        Member getter = cluster.start(holder.endpoint());
        Path source = randomFile("big.bin", 12);
        String id = put(holder, source);
        Path out = tmp.resolve("big-copy.bin");

        NodeProcess.Result detached = NodeCluster.run(getter, "get", "--detach", id, "-o", out.toString(), "--json");
        assertThat(detached.exitCode()).as(detached + getter.log()).isZero();
        String transfer = JsonObject.of(Json.parse(detached.stdout())).string("transfer");
        JsonObject moving = await(getter, transfer, t -> t.longValue("bytesDone") > 0
                || !"running".equals(t.string("state")));
        Path partial = getter.dataDir().resolve("store").resolve("partial").resolve(id);

        NodeProcess.Result cancel = NodeCluster.run(getter, "cancel", transfer, "--json");
        assertThat(cancel.exitCode()).as(cancel + getter.log()).isZero();
        JsonObject cancelled = JsonObject.of(Json.parse(cancel.stdout()));
        assertThat(cancelled.string("state")).as("cancelled before the slow holder sent everything: " + moving
                + cancel).isEqualTo("cancelled");
        assertThat(cancelled.string("message")).contains("removed");
        awaitGone(partial);
        assertThat(out).doesNotExist();

        NodeProcess.Result again = NodeCluster.run(getter, "cancel", transfer);
        assertThat(again.exitCode()).as("cancelling twice is no error: " + again).isZero();
        NodeProcess.Result resume = NodeCluster.run(getter, "resume", transfer);
        assertThat(resume.exitCode()).isEqualTo(ExitCode.CONFLICT);
        assertThat(resume.stderr()).contains("cancelled");

        NodeProcess.Result fresh = NodeCluster.run(getter, "get", id, "-o", out.toString(), "--timeout", "90s");
        assertThat(fresh.exitCode()).as("a new get after the cancel starts over: " + fresh + getter.log()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(source));
    }

    @Test
    void getDetachWithoutARunningNodeSaysSo() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("no-node"));
        NodeProcess.Result r = NodeProcess.run(Map.of(), "--data-dir", dir.toString(), "get", "--detach",
                "ab".repeat(32));
        assertThat(r.exitCode()).isEqualTo(ExitCode.NO_NODE);
        assertThat(r.stderr()).contains("--detach");
    }

    /**
     * A getter node killed with SIGKILL in the middle of a download and started again on the same
     * data directory: a second get completes byte-identical, and the holder has sent the file about
     * once (the recorded part was kept and only what was missing was asked for), not once plus the
     * part fetched before the kill. Regression: a download of fewer spans than the state record's
     * flush interval recorded nothing, so all of it was fetched again.
     */
    @Test
    void aGetterNodeKilledMidDownloadResumesAfterARestartFetchingOnlyWhatIsMissing() throws Exception {
        Member holder = cluster.start(SLOW_HOLDER);
        Member getter = cluster.start(holder.endpoint());
        Path source = randomFile("interrupted.bin", 29);
        String id = put(holder, source);
        NodeProcess.Result detached = NodeCluster.run(getter, "get", "--detach", id, "-o",
                tmp.resolve("first.bin").toString());
        assertThat(detached.exitCode()).as(detached + getter.log()).isZero();
        long started = System.nanoTime();
        await(getter, detached.stdout().strip(), t -> t.longValue("bytesDone") >= FILE_BYTES * 2 / 5
                && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(3));
        Thread.sleep(500); // the span just counted reaches the disk; the record lags by at most a second
        JsonObject before = await(getter, detached.stdout().strip(), t -> true);
        assertThat(before.longValue("bytesDone")).isLessThan(FILE_BYTES);

        getter.process().destroyForcibly();
        assertThat(getter.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        Member again = cluster.launch(getter.dataDir(), getter.address(), getter.port(), holder.endpoint());
        NodeCluster.awaitLine(again, "ready");
        Path out = tmp.resolve("resumed.bin");
        NodeProcess.Result get = NodeCluster.run(again, "get", id, "-o", out.toString(), "--timeout", "120s");
        assertThat(get.exitCode()).as(get + again.log() + holder.log()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(source));

        NodeProcess.Result ls = NodeCluster.run(holder, "ls", "--json");
        long uploaded = JsonObject.of(JsonObject.of(Json.parse(ls.stdout())).list("files").get(0)).longValue("uploadedBytes");
        System.out.printf("killed at %d of %d bytes; the holder sent %d bytes in all (%.2f times the file)%n",
                before.longValue("bytesDone"), FILE_BYTES, uploaded, (double) uploaded / FILE_BYTES);
        assertThat(uploaded).as("bytes the holder sent for a file of " + FILE_BYTES + " bytes, killed at "
                + before.longValue("bytesDone") + " (all of it again would be their sum)")
                .isLessThan(FILE_BYTES + before.longValue("bytesDone") / 2);
    }

    private static void assertRefused(RunningNode.Request<JsonObject> request, int status, String code,
            String message) {
        assertThatThrownBy(request::run).isInstanceOfSatisfying(ControlError.class, e -> {
            assertThat(e.httpStatus()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.getMessage()).contains(message);
        });
    }

    private Path randomFile(String name, long seed) throws Exception {
        byte[] bytes = new byte[FILE_BYTES];
        new Random(seed).nextBytes(bytes);
        return Files.write(tmp.resolve(name), bytes);
    }

    private static String put(Member m, Path file) throws Exception {
        NodeProcess.Result put = NodeCluster.run(m, "put", file.toString());
        assertThat(put.exitCode()).as(put + m.log()).isZero();
        return put.stdout().strip();
    }

    /** Polls {@code transfers --json} until the transfer matches; fails after {@link #WAIT_MILLIS}. */
    private static JsonObject await(Member m, String transfer, Predicate<JsonObject> condition) throws Exception {
        return poll(() -> "transfer " + transfer + " matching\n" + m.log(), () -> transfers(m).stream().map(JsonObject::of)
                .filter(t -> t.string("transfer").equals(transfer) && condition.test(t)).findFirst().orElse(null));
    }

    private static JsonObject awaitUpload(Member m) throws Exception {
        return poll(() -> "an upload listed\n" + m.log(), () -> transfers(m).stream().map(JsonObject::of)
                .filter(t -> t.string("direction").equals("upload")).findFirst().orElse(null));
    }

    private static void awaitGone(Path p) throws Exception {
        poll(() -> p + " removed", () -> Files.exists(p) ? null : p);
    }

    /** Asks {@code probe} until it answers non-null; fails naming {@code what} after {@link #WAIT_MILLIS}. */
    private static <T> T poll(Supplier<String> what, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            T found = probe.call();
            if (found != null) {
                return found;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waited " + WAIT_MILLIS + " ms in vain for " + what.get());
    }

    private static List<Object> transfers(Member m) throws Exception {
        NodeProcess.Result r = NodeCluster.run(m, "transfers", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return JsonObject.of(Json.parse(r.stdout())).list("transfers");
    }
}
