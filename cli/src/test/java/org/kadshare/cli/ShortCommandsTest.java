package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.cli.control.ControlEndpoint;
import org.kadshare.cli.control.ControlError;
import org.kadshare.cli.control.ControlFile;
import org.kadshare.cli.control.ControlServer;
import picocli.CommandLine;
import picocli.CommandLine.Help;

/**
 * The short commands' quick path does exactly what picocli's path does: same stdout, stderr and
 * exit code for every line it recognises, and it leaves every other line to picocli.
 */
class ShortCommandsTest {
    @TempDir
    Path tmp;

    /** What one run printed and returned. */
    record Outcome(int exitCode, String out, String err) {
    }

    private static String usage(Help.Ansi ansi) {
        CommandLine cli = NodeCommand.commandLine(false);
        StringWriter w = new StringWriter();
        cli.usage(new PrintWriter(w, true), Help.defaultColorScheme(ansi));
        return w.toString();
    }

    @Test
    void theHelpResourcesAreWhatPicocliRendersForTheWholeCommandLine() throws IOException {
        Path dir = Path.of("target", "help");
        Files.createDirectories(dir);
        // Written out so that a changed command can be copied into src/main/resources.
        Files.writeString(dir.resolve("node.txt"), usage(Help.Ansi.OFF));
        Files.writeString(dir.resolve("node.ansi.txt"), usage(Help.Ansi.ON));
        assertThat(ShortCommands.resource(ShortCommands.PLAIN_HELP))
                .as("cli/target/help/node.txt belongs in src/main/resources/org/kadshare/cli/help/")
                .isEqualTo(usage(Help.Ansi.OFF));
        assertThat(ShortCommands.resource(ShortCommands.ANSI_HELP))
                .as("cli/target/help/node.ansi.txt belongs in src/main/resources/org/kadshare/cli/help/")
                .isEqualTo(usage(Help.Ansi.ON));
        assertThat(usage(Help.Ansi.ON)).as("the colour variant has colours").isNotEqualTo(usage(Help.Ansi.OFF));
    }

    @Test
    void theVersionIsTheTopCommandsVersion() {
        assertThat(NodeCommand.commandLine(false).getCommandSpec().version()).containsExactly(ShortCommands.VERSION);
    }

    private static Outcome capture(Runner runner) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = runner.run();
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @FunctionalInterface
    private interface Runner {
        int run();
    }

    private void assertSameAsPicocli(String... args) {
        Outcome picocli = capture(() -> NodeCommand.run(args));
        Outcome quick = capture(() -> {
            OptionalInt code = ShortCommands.run(args);
            assertThat(code).as("recognised: " + List.of(args)).isPresent();
            return code.getAsInt();
        });
        assertThat(quick).as(String.join(" ", args)).isEqualTo(picocli);
    }

    @Test
    void recognisedLinesPrintAndExitExactlyAsPicocliDoes() throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty"));
        Path dir = Files.createDirectory(tmp.resolve("folder"));
        String noNode = tmp.resolve("nodeless").toString();
        List<String[]> lines = new ArrayList<>(List.of(
                new String[] {"--help"}, new String[] {"-h"}, new String[] {"--version"}, new String[] {"-V"},
                new String[] {"hash", empty.toString()},
                new String[] {"hash", "--json", empty.toString()},
                new String[] {"hash", empty.toString(), "--json"},
                new String[] {"--data-dir", noNode, "hash", empty.toString()},
                new String[] {"hash", tmp.resolve("missing").toString()},
                new String[] {"hash", "--json", tmp.resolve("missing").toString()},
                new String[] {"hash", dir.toString()},
                new String[] {"--data-dir", noNode, "status"},
                new String[] {"status", "--data-dir", noNode, "--json"}));
        for (String[] line : lines) {
            assertSameAsPicocli(line);
        }
    }

    @Test
    void statusOfARunningNodeIsTheSameOnBothPaths() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        try (ControlServer server = ControlServer.bind(ControlEndpoint.newToken(),
                e -> new ControlError(500, "internal", e.toString(), ExitCode.INTERNAL))) {
            server.get("/v1/status", r -> Map.of("nodeId", "ab".repeat(20), "routingContacts", 3));
            server.start();
            ControlFile.write(data, new ControlEndpoint(server.port(), server.token(), 1));
            assertSameAsPicocli("--data-dir", data.toString(), "status");
            assertSameAsPicocli("status", "--json", "--data-dir", data.toString());
            Outcome quick = capture(() -> ShortCommands.run("--data-dir", data.toString(), "status").getAsInt());
            assertThat(quick.out()).contains("routingContacts").contains("3");
        }
    }

    @Test
    void aGetThroughARunningNodeSendsTheSameRequestAndPrintsTheSameOnBothPaths() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        String hex = "ab".repeat(32);
        List<Map<String, Object>> requests = new ArrayList<>();
        try (ControlServer server = ControlServer.bind(ControlEndpoint.newToken(),
                e -> new ControlError(500, "internal", e.toString(), ExitCode.INTERNAL))) {
            server.get("/v1/status", r -> Map.of("nodeId", "ab".repeat(20), "routingContacts", 3));
            server.postStream("/v1/get", (r, events) -> {
                synchronized (requests) {
                    requests.add(r.fields());
                }
                events.emit(Map.of("event", "phase", "phase", "FINDING_HOLDERS"));
                events.emit(Map.of("event", "done", "id", r.string("id"), "path", r.string("destination"),
                        "lengthBytes", 5));
            });
            server.start();
            ControlFile.write(data, new ControlEndpoint(server.port(), server.token(), 1));
            String copy = tmp.resolve("copy").toString();
            List<String[]> lines = List.of(
                    new String[] {"--data-dir", data.toString(), "get", hex, "-o", copy, "--json"},
                    new String[] {"get", hex, "--data-dir", data.toString(), "--output", copy},
                    new String[] {"get", "--force", hex, "--timeout", "5s", "--data-dir", data.toString()},
                    new String[] {"--data-dir", data.toString(), "get", hex, "--timeout", "soon"},
                    new String[] {"--data-dir", data.toString(), "get", "xyz", "--json"},
                    new String[] {"--data-dir", data.toString(), "get", hex, "-o", tmp.resolve("no/such").toString()});
            for (String[] line : lines) {
                requests.clear();
                assertSameAsPicocli(line);
                assertThat(requests).as("one request each way: " + String.join(" ", line)).hasSizeLessThanOrEqualTo(2);
                if (requests.size() == 2) {
                    assertThat(requests.get(1)).isEqualTo(requests.get(0));
                }
            }
            requests.clear();
            Outcome quick = capture(() -> ShortCommands.run("--data-dir", data.toString(), "get", hex, "-o", copy,
                    "--force", "--timeout", "2m").getAsInt());
            assertThat(quick.exitCode()).isZero();
            assertThat(quick.out().strip()).isEqualTo(copy);
            assertThat(requests).singleElement().satisfies(r -> {
                assertThat(r).containsEntry("id", hex).containsEntry("destination", copy)
                        .containsEntry("overwrite", true);
                assertThat(((Number) r.get("timeoutMillis")).longValue()).isEqualTo(120_000L);
            });
        }
    }

    @Test
    void aGetThroughARunningNodeSendsOnlyItsOwnRequest() throws Exception {
        Path data = Files.createDirectory(tmp.resolve("data"));
        String hex = "ab".repeat(32);
        List<String> paths = new ArrayList<>();
        try (ControlServer server = ControlServer.bind(ControlEndpoint.newToken(),
                e -> new ControlError(500, "internal", e.toString(), ExitCode.INTERNAL))) {
            server.get("/v1/status", r -> {
                synchronized (paths) {
                    paths.add("/v1/status");
                }
                return Map.of("nodeId", "ab".repeat(20), "routingContacts", 3);
            });
            server.postStream("/v1/get", (r, events) -> {
                synchronized (paths) {
                    paths.add("/v1/get");
                }
                events.emit(Map.of("event", "done", "id", r.string("id"), "path", r.string("destination"),
                        "lengthBytes", 5));
            });
            server.start();
            ControlFile.write(data, new ControlEndpoint(server.port(), server.token(), 1));
            Outcome quick = capture(() -> ShortCommands.run("--data-dir", data.toString(), "get", hex, "-o",
                    tmp.resolve("copy").toString(), "--json").getAsInt());
            assertThat(quick.exitCode()).isZero();
            synchronized (paths) {
                assertThat(paths).containsExactly("/v1/get");
            }
        }
    }

    @Test
    void aGetWithNoRunningNodeIsLeftToPicocliWhichStartsATemporaryNode() throws Exception {
        Path stale = Files.createDirectory(tmp.resolve("stale"));
        ControlFile.write(stale, new ControlEndpoint(1, ControlEndpoint.newToken(), 1));
        String hex = "ab".repeat(32);
        assertThat(ShortCommands.run("--data-dir", tmp.resolve("nodeless").toString(), "get", hex)).isEmpty();
        assertThat(ShortCommands.run("--data-dir", stale.toString(), "get", hex, "--json")).isEmpty();
    }

    @Test
    void getLinesWithAnyOtherOptionAreLeftToPicocli() {
        String hex = "ab".repeat(32);
        List<String[]> lines = List.of(
                new String[] {"get"}, new String[] {"get", hex, hex}, new String[] {"get", "--only", "*.txt", hex},
                new String[] {"get", "--detach", hex}, new String[] {"get", "--progress", hex},
                new String[] {"get", hex, "-o"}, new String[] {"get", hex, "--json", "--json"},
                new String[] {"--json", "get", hex}, new String[] {"-o", "x", "get", hex},
                new String[] {"get", hex, "-o", "a", "-o", "b"}, new String[] {"get", hex, "-o", "-x"},
                new String[] {"get", hex, "--timeout", "1s", "--timeout", "2s"}, new String[] {"get", hex, "--force",
                        "--force"}, new String[] {"get", hex, "--bootstrap", "a:1"}, new String[] {"get", "--", hex},
                new String[] {"get", "@args"}, new String[] {"get", hex, "--output=x"}, new String[] {"gte", hex});
        for (String[] line : lines) {
            assertThat(QuickGet.parse(line)).as(String.join(" ", line)).isNull();
        }
    }

    @Test
    void everyOtherLineIsLeftToPicocli() {
        List<String[]> lines = List.of(
                new String[] {}, new String[] {"ls"}, new String[] {"status", "extra"},
                new String[] {"status", "--help"}, new String[] {"hash"}, new String[] {"hash", "a", "b"},
                new String[] {"hash", "--json", "--json", "a"}, new String[] {"--json", "status"},
                new String[] {"hash", "-x"}, new String[] {"hash", "@args"}, new String[] {"hash", ""},
                new String[] {"hash", "--", "a"}, new String[] {"--data-dir=d", "status"},
                new String[] {"--data-dir", "a", "--data-dir", "b", "status"}, new String[] {"--data-dir"},
                new String[] {"status", "--data-dir", "--json"}, new String[] {"--help", "status"},
                new String[] {"statsu"}, new String[] {"hash", "a\0b"});
        for (String[] line : lines) {
            assertThat(ShortCommands.run(line)).as(String.join(" ", line)).isEmpty();
        }
    }
}
