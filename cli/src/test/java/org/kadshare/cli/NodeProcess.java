package org.kadshare.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code node} launcher from the repository root as a separate process, the way a
 * user does, and collects its exit code, stdout and stderr. Each run is bounded in time.
 */
final class NodeProcess {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

    record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    private NodeProcess() {
    }

    static Path repositoryRoot() {
        String root = System.getProperty("kadshare.root");
        if (root == null) {
            throw new IllegalStateException("system property kadshare.root is not set (run through failsafe)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    /** Runs {@code ./node args...} with the given extra environment. */
    static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(repositoryRoot().resolve("node").toString());
        command.addAll(List.of(args));
        return runCommand(command, env, DEFAULT_TIMEOUT);
    }

    /** Runs an arbitrary command (e.g. a shell wrapping the launcher) from the repository root. */
    static Result runCommand(List<String> command, Map<String, String> env, Duration timeout)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("node-out", ".txt");
        Path err = Files.createTempFile("node-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(repositoryRoot().toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("node " + command + " did not finish in " + timeout
                        + "\n" + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
