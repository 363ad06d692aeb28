package org.kadshare.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.kadshare.cli.control.ControlEndpoint;
import org.kadshare.cli.control.ControlError;
import org.kadshare.cli.control.ControlFile;
import org.kadshare.cli.control.ControlServer;
import org.kadshare.cli.control.Json;
import org.kadshare.overlay.transfer.tls.Encryption;

/**
 * The run the launcher records a class-data archive from ({@code java -XX:ArchiveClassesAtExit}):
 * it runs the short commands' usual paths in one process with their output discarded, so that
 * the classes they load (picocli and the commands, hashing, the control client and server, JSON,
 * a get's event stream)
 * are archived, and a later command maps them instead of loading and verifying them from the jar.
 * The nodes (`join`) have an archive of their own, recorded with {@link #NODES}: that run also
 * gets a file between two nodes of its own ({@link #nodes}), so a node that has only joined maps
 * what its first get loads on both sides instead of reading it from the jar (measured in a getter
 * node during its first get: 45 to 48 classes loaded in 25 to 76 ms, against 272 to 278 in 70 to
 * 173 ms, on a loaded machine). The short commands keep the smaller archive: mapping the node's,
 * about twice the size, cost their start about 30 ms.
 */
final class ClassDataTraining {
    /** The hidden first argument that starts it. */
    static final String ARGUMENT = "--class-data-training";
    /** The second argument of a node's training run. */
    static final String NODES = "node";

    private ClassDataTraining() {
    }

    /** The training run; {@code withNodes} for a node's archive. */
    static int run(boolean withNodes) throws IOException {
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
            if (withNodes) {
                nodes(dir.resolve("nodes"));
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

    /**
     * A holder and a getter node in this process ({@link DataPathWarmUp#exchange}), encrypted as
     * by default: the getter serves the control API `join` serves, and a quick `get` of a 1 MiB
     * file the holder put runs through it. Whether the copy arrived whole; a failure only leaves
     * those classes out of the archive.
     */
    static boolean nodes(Path dir) {
        return DataPathWarmUp.exchange(dir, (1 << 20) + 1, Encryption.PREFER, (getter, getterDir, id, copy) -> {
            try (ControlServer control = ControlServer.bind(ControlEndpoint.newToken(), ControlRoutes::error)) {
                ControlRoutes.install(control, getter, getterDir, () -> { });
                control.start();
                ControlFile.write(getterDir, new ControlEndpoint(control.port(), control.token(),
                        ProcessHandle.current().pid()));
                ShortCommands.run("--data-dir", getterDir.toString(), "get", id.toHex(), "-o",
                        copy.toString(), "--json", "--timeout", DataPathWarmUp.STEP_SECONDS + "s");
            }
        });
    }
}
