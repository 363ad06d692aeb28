package org.kadshare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import picocli.CommandLine;

/** The command line as a whole: the options every command takes, and how failures are printed. */
class NodeCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(boolean json, String... args) {
        CommandLine cli = NodeCommand.commandLine(json);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static List<String> commands() {
        return NodeCommand.commandLine(false).getSubcommands().keySet().stream()
                .filter(name -> !name.equals("help")).toList();
    }

    @Test
    void everyCommandTakesHelpShortHelpAndJson() {
        for (String name : commands()) {
            CommandLine c = NodeCommand.commandLine(false).getSubcommands().get(name);
            for (String option : List.of("-h", "--help", "--json")) {
                assertThat(c.getCommandSpec().findOption(option)).as(name + " " + option).isNotNull();
            }
        }
        assertThat(commands()).contains("get", "join", "hash", "manifest", "stop", "completion");
    }

    @Test
    void helpAfterAnyCommandPrintsItsUsageAndSucceeds() {
        for (String name : commands()) {
            for (String flag : List.of("--help", "-h")) {
                out.getBuffer().setLength(0);
                assertThat(run(false, name, flag)).as(name + " " + flag + ": " + err).isZero();
                assertThat(out.toString()).as(name + " " + flag).startsWith("Usage: node " + name);
            }
        }
    }

    @Test
    void aFailureWithJsonIsOneObjectWithTheExitCodeAndMessage() {
        String missing = tmp.resolve("missing.bin").toString();
        int code = run(true, "hash", missing, "--json");

        assertThat(code).isEqualTo(ExitCode.NO_SUCH_FILE);
        assertThat(out.toString().lines().toList()).hasSize(1);
        JsonObject o = Json.parseObject(out.toString());
        assertThat(o.fields()).containsOnlyKeys("error", "message", "exitCode");
        assertThat(o.longValue("exitCode")).isEqualTo(ExitCode.NO_SUCH_FILE);
        assertThat(o.string("error")).isEqualTo("no_such_file");
        assertThat(o.string("message")).contains("missing.bin");
        assertThat(err.toString()).startsWith("node: no such file");
    }

    @Test
    void aUsageErrorWithJsonIsJsonTooAndAStreamingCommandEndsWithAFailedEvent() {
        int code = run(true, "get", "--json", "--no-such-option", "ab".repeat(32));

        assertThat(code).isEqualTo(ExitCode.USAGE);
        JsonObject o = Json.parseObject(out.toString());
        assertThat(o.string("event")).isEqualTo("failed");
        assertThat(o.string("error")).isEqualTo("usage");
        assertThat(o.longValue("exitCode")).isEqualTo(ExitCode.USAGE);
        assertThat(o.string("message")).contains("--no-such-option");
    }

    @Test
    void withoutJsonAFailureIsOneLineOnStderrAndNothingOnStdout() {
        int code = run(false, "manifest", "xyz");

        assertThat(code).isEqualTo(ExitCode.USAGE);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).startsWith("node: malformed hash").hasLineCount(1);
    }

    @Test
    void aCommandLineNamingOneCommandBuildsOnlyThatOneAndStillInheritsTheTopOptions() {
        assertThat(NodeCommand.verb("--data-dir", "/tmp/x", "status", "--json")).isEqualTo("status");
        assertThat(NodeCommand.verb("--help")).isNull();
        CommandLine status = NodeCommand.commandLine(false, "status");
        assertThat(status.getSubcommands()).containsOnlyKeys("status");
        assertThat(status.getSubcommands().get("status").getCommandSpec().findOption("--data-dir")).isNotNull();
        assertThat(NodeCommand.commandLine(false, "help").getSubcommands()).containsKeys("help", "get", "status");
        assertThat(NodeCommand.commandLine(false, "statsu").getSubcommands()).as("a typo gets suggestions")
                .containsKeys("status", "stop");
    }

    @Test
    void jsonIsOnlyAskedForBeforeTheEndOfOptions() {
        assertThat(FailureReport.wantsJson("hash", "--json", "f")).isTrue();
        assertThat(FailureReport.wantsJson("hash", "--", "--json")).isFalse();
        assertThat(FailureReport.wantsJson("hash", "f")).isFalse();
    }

    @Test
    void theFailureObjectHasTheApiErrorFields() {
        assertThat(FailureReport.json("rm", ExitCode.NOT_FOUND, "not shared"))
                .isEqualTo(Map.of("error", "not_found", "message", "not shared", "exitCode", ExitCode.NOT_FOUND));
        assertThat(FailureReport.json("get", ExitCode.TIMEOUT, "late")).containsEntry("event", "failed");
    }
}
