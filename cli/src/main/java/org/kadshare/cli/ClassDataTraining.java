package org.kadshare.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.Map;
import org.kadshare.cli.control.ControlEndpoint;
import org.kadshare.cli.control.ControlError;
import org.kadshare.cli.control.ControlFile;
import org.kadshare.cli.control.ControlServer;
import org.kadshare.cli.control.Json;

/**
 * The run the launcher records a class-data archive from ({@code java -XX:ArchiveClassesAtExit}):
 * it runs the short commands' usual paths in one process with their output discarded, so that
 * the classes they load (picocli and the commands, hashing, the control client and server, JSON,
 * a get's event stream)
 * are archived, and a later command maps them instead of loading and verifying them from the jar.
 */
final class ClassDataTraining {
    /** The hidden first argument that starts it. */
    static final String ARGUMENT = "--class-data-training";

    private ClassDataTraining() {
    }

    static int run() throws IOException {
        Path dir = Files.createTempDirectory("kadshare-training");
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        try {
            System.setOut(discard);
            System.setErr(discard);
            Path empty = Files.createFile(dir.resolve("empty"));
            String data = dir.resolve("data").toString();
            ShortCommands.run("--help");
            ShortCommands.run("hash", empty.toString());
            ShortCommands.run("hash", "--json", empty.toString());
            ShortCommands.run("--data-dir", data, "status");
            NodeCommand.run("--help");
            NodeCommand.run("get", "--help");
            NodeCommand.run("hash", empty.toString());
            NodeCommand.run("hash", "--json", empty.toString());
            NodeCommand.run("--data-dir", data, "status");
            try (ControlServer server = ControlServer.bind(ControlEndpoint.newToken(),
                    e -> new ControlError(500, "internal", e.toString(), ExitCode.INTERNAL))) {
                server.get("/v1/status", r -> Map.of("nodeId", "0".repeat(40), "routingContacts", 0));
                server.postStream("/v1/get", (r, events) -> {
                    events.emit(Map.of("event", "phase", "phase", "FINDING_HOLDERS"));
                    events.emit(Map.of("event", "progress", "phase", "DOWNLOADING", "bytesDone", 1,
                            "totalBytes", 2, "bytesPerSecond", 1, "peersConnected", 1, "etaMillis", 1));
                    events.emit(Map.of("event", "done", "id", r.string("id"), "path", r.string("destination"),
                            "lengthBytes", 2));
                });
                server.start();
                Files.createDirectories(Path.of(data));
                ControlFile.write(Path.of(data), new ControlEndpoint(server.port(), server.token(), 1));
                NodeCommand.run("--data-dir", data, "status");
                NodeCommand.run("--data-dir", data, "status", "--json");
                ShortCommands.run("--data-dir", data, "status");
                ShortCommands.run("--data-dir", data, "status", "--json");
                // a get through the running node, the line whose start-up delays a download
                String copy = dir.resolve("copy").toString();
                ShortCommands.run("--data-dir", data, "get", "0".repeat(64), "-o", copy, "--json", "--timeout", "10m");
                ShortCommands.run("--data-dir", data, "get", "0".repeat(64), "-o", copy);
            }
            NodeCommand.run("--data-dir", data, "ls");
            NodeCommand.run("manifest", "xyz");
            Json.parseObject(Json.write(Map.of("port", 1, "token", "ab")));
        } finally {
            System.setOut(out);
            System.setErr(err);
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return ExitCode.OK;
    }
}
