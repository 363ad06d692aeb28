package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.kadshare.cli.NodeCluster.Member;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;

/**
 * A small network in which most nodes left: five real {@code node join} processes, three of them
 * stopped (two by SIGTERM, one by SIGKILL, so the others still have them in their routing
 * tables), then {@code get} from fresh data directories through the first node. Each get must
 * succeed with the right bytes; how soon after the command started its phases and its first
 * verified byte came (from {@code get --json} events, which are polled every 250 ms, so up to that
 * much late; a file that arrives whole between two polls counts at its {@code done} event) is
 * printed for docs/BENCHMARKS.md, not asserted.
 *
 * <pre>nice mvn -B -pl cli -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=GetAfterChurnIT | grep first-byte</pre>
 */
class GetAfterChurnIT extends ClusterFixture {
    private static final int GETS = 3;

    @Test
    void aGetFromAFreshNodeAfterThreeOfFiveNodesStoppedSucceedsWithTheRightBytes() throws Exception {
        Member boot = cluster.start();
        Member holder = cluster.start(boot.endpoint());
        List<Member> leaving = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            leaving.add(cluster.start(boot.endpoint()));
        }
        byte[] bytes = new byte[4 << 20];
        new Random(5).nextBytes(bytes);
        Path file = Files.write(tmp.resolve("payload.bin"), bytes);
        NodeProcess.Result put = NodeCluster.run(holder, "put", file.toString());
        assertThat(put.exitCode()).as(put + holder.log()).isZero();
        String id = put.stdout().strip();

        leaving.get(0).process().destroy();
        leaving.get(1).process().destroy();
        leaving.get(2).process().destroyForcibly();
        for (Member m : leaving) {
            assertThat(m.process().waitFor(60, TimeUnit.SECONDS)).as(m.log()).isTrue();
        }

        for (int round = 1; round <= GETS; round++) {
            Path out = tmp.resolve("fetched-" + round + ".bin");
            TimedGet get = timedGet(tmp.resolve("fresh-" + round), id, out, boot.endpoint());
            assertThat(get.exitCode()).as(get.stderr() + boot.log() + holder.log()).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(bytes);
            System.out.println("first-byte round " + round + ": " + get.describe());
        }
    }

    /** The exit code, stderr, and when (ms after the start) each phase and the first byte came. */
    record TimedGet(int exitCode, String stderr, Map<String, Long> phaseMillis, long firstByteMillis,
            long endMillis) {
        String describe() {
            return "first verified byte " + firstByteMillis + " ms after the command started, done after "
                    + endMillis + " ms; phases " + phaseMillis;
        }
    }

    private static TimedGet timedGet(Path dataDir, String id, Path out, String bootstrap) throws Exception {
        List<String> command = List.of(NodeProcess.repositoryRoot().resolve("node").toString(),
                "--data-dir", dataDir.toString(), "get", id, "-o", out.toString(), "--bootstrap", bootstrap,
                "--json", "--timeout", "60s");
        Path err = Files.createTempFile("get", ".err");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).directory(NodeProcess.repositoryRoot().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(err.toFile()).start();
        Map<String, Long> phases = new LinkedHashMap<>();
        long firstByte = -1;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            Thread watchdog = new Thread(() -> {
                try {
                    if (!p.waitFor(120, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            });
            watchdog.setDaemon(true);
            watchdog.start();
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                long at = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonObject e = Json.parseObject(line);
                String event = e.optionalString("event").orElse("");
                if (event.equals("phase")) {
                    phases.putIfAbsent(e.string("phase"), at);
                } else if (event.equals("progress") && firstByte < 0 && e.longValue("bytesDone") > 0) {
                    firstByte = at;
                } else if (event.equals("done") && firstByte < 0) {
                    firstByte = at; // the whole file came between two polls: the first byte came before
                }
            }
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long end = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        Files.deleteIfExists(err);
        return new TimedGet(p.exitValue(), stderr, phases, firstByte, end);
    }
}
