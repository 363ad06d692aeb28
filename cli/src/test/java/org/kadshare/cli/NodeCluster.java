package org.kadshare.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Long-running {@code node join} processes for end-to-end tests, each with its own data directory,
 * its own 127.0.0.x address and a free port. {@link #close} kills every process tree it started.
 */
final class NodeCluster implements AutoCloseable {
    static final long READY_TIMEOUT_MILLIS = 90_000;

    /** One running node. */
    record Member(Process process, Path dataDir, String address, int port, Path stderr) {
        String endpoint() {
            return address + ":" + port;
        }

        String log() {
            try {
                return "--- stderr of node " + endpoint() + "\n" + Files.readString(stderr, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no stderr: " + e + ")";
            }
        }
    }

    private final Path root;
    private final List<Member> members = new ArrayList<>();
    private int nextHost;

    NodeCluster(Path root, int firstHost) {
        this.root = root;
        this.nextHost = firstHost;
    }

    /** Starts {@code node join [bootstrap...]} and waits for its "ready" line. */
    Member start(String... bootstrap) throws Exception {
        return start(List.of(), bootstrap);
    }

    /** Starts {@code node join [options...] [bootstrap...]} and waits for its "ready" line. */
    Member start(List<String> options, String... bootstrap) throws Exception {
        String address = "127.0.0." + nextHost++;
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of(bootstrap));
        Member m = launch(Files.createDirectories(root.resolve("node-" + address)), address, freePort(address),
                args.toArray(String[]::new));
        awaitLine(m, "ready");
        return m;
    }

    /** Starts {@code node join} with a {@code config.properties} of these lines and waits for "ready". */
    Member startConfigured(List<String> config, String... bootstrap) throws Exception {
        String address = "127.0.0." + nextHost++;
        Path dir = Files.createDirectories(root.resolve("node-" + address));
        Files.write(dir.resolve(Configuration.FILE_NAME), config, StandardCharsets.UTF_8);
        Member m = launch(dir, address, freePort(address), bootstrap);
        awaitLine(m, "ready");
        return m;
    }

    /** Starts a join process without waiting: for runs expected to fail. */
    Member launch(Path dataDir, String address, int port, String... bootstrap) throws IOException {
        List<String> command = new ArrayList<>(List.of(NodeProcess.repositoryRoot().resolve("node").toString(),
                "--data-dir", dataDir.toString(), "join", "--bind", address, "--port", Integer.toString(port)));
        command.addAll(List.of(bootstrap));
        Path err = Files.createTempFile(root, "join", ".err");
        Process p = new ProcessBuilder(command).directory(NodeProcess.repositoryRoot().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        Member m = new Member(p, dataDir, address, port, err);
        members.add(m);
        return m;
    }

    static void awaitLine(Member m, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_TIMEOUT_MILLIS);
        while (System.nanoTime() < deadline) {
            if (Files.readString(m.stderr(), StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (!m.process().isAlive()) {
                throw new AssertionError("node " + m.endpoint() + " exited with " + m.process().exitValue()
                        + " before logging '" + text + "'\n" + m.log());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("node " + m.endpoint() + " did not log '" + text + "' in " + READY_TIMEOUT_MILLIS
                + " ms\n" + m.log());
    }

    /** Runs a short command against a member's data directory. */
    static NodeProcess.Result run(Member m, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--data-dir", m.dataDir().toString()));
        all.addAll(List.of(args));
        return NodeProcess.run(Map.of(), all.toArray(String[]::new));
    }

    /** A port free for both TCP and UDP on {@code address}. */
    static int freePort(String address) throws IOException {
        InetAddress a = InetAddress.getByName(address);
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, a)) {
                port = s.getLocalPort();
            }
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(a, port))) {
                return port;
            } catch (IOException e) {
                continue;
            }
        }
        throw new IOException("no port free for both TCP and UDP on " + address);
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.process().descendants().forEach(ProcessHandle::destroyForcibly);
            m.process().destroyForcibly();
        }
        for (Member m : members) {
            try {
                m.process().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
