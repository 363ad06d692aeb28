package org.kadshare.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.ControlEndpoint;
import org.kadshare.cli.control.ControlFile;
import org.kadshare.overlay.node.GetTarget;
import org.kadshare.storage.ContentId;

/**
 * {@code get <hash>} through a running node without picocli's command model, the line a user
 * waits on most: {@code [--data-dir <dir>] get <hash>} followed by any of {@code -o <path>} (or
 * {@code --output}), {@code --json}, {@code --force} and {@code --timeout <duration>}, each at
 * most once, with {@code --data-dir <dir>} also after the verb. It runs the same
 * {@link GetCommand} code. Any other line, and any get when no node answers on the data directory
 * (a temporary node then joins, which is picocli's path), is left to {@link NodeCommand}.
 */
final class QuickGet {
    private final Path dataDir;
    private final String hash;
    private final String output;
    private final boolean json;
    private final boolean force;
    private final String timeout;

    private QuickGet(Path dataDir, String hash, String output, boolean json, boolean force, String timeout) {
        this.dataDir = dataDir;
        this.hash = hash;
        this.output = output;
        this.json = json;
        this.force = force;
        this.timeout = timeout;
    }

    /** The recognised get line {@code args} is, or null. */
    static QuickGet parse(String... args) {
        String dataDir = null;
        boolean verb = false;
        String hash = null;
        String output = null;
        String timeout = null;
        boolean json = false;
        boolean force = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean valued = a.equals("--data-dir") || (verb && (a.equals("-o") || a.equals("--output")
                    || a.equals("--timeout")));
            if (valued) {
                if (i + 1 >= args.length || !ShortCommands.plainValue(args[i + 1])) {
                    return null;
                }
                String value = args[++i];
                if (a.equals("--data-dir")) {
                    if (dataDir != null) {
                        return null;
                    }
                    dataDir = value;
                } else if (a.equals("--timeout")) {
                    if (timeout != null) {
                        return null;
                    }
                    timeout = value;
                } else {
                    if (output != null) {
                        return null;
                    }
                    output = value;
                }
            } else if (verb && a.equals("--json") && !json) {
                json = true;
            } else if (verb && a.equals("--force") && !force) {
                force = true;
            } else if (!ShortCommands.plainValue(a)) {
                return null;
            } else if (!verb) {
                if (!a.equals("get")) {
                    return null;
                }
                verb = true;
            } else if (hash == null) {
                hash = a;
            } else {
                return null;
            }
        }
        if (hash == null) {
            return null;
        }
        try {
            return new QuickGet(dataDir == null ? null : Path.of(dataDir), hash, output, json, force, timeout);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /**
     * Runs the get through the node running on the data directory: its exit code, or empty when
     * none answers there, or its control file cannot be read (picocli's path reports that). The
     * node is not asked first whether it runs (a status request costs a round trip through the
     * node's control server before the get's own): the get's request is the first, and a refused
     * connection, which comes before anything is printed, leaves the line to picocli's path.
     */
    OptionalInt run(String[] args, PrintWriter out, PrintWriter err) {
        Path dir = DataDirectory.resolve(dataDir, System.getenv());
        Optional<ControlEndpoint> endpoint;
        try {
            endpoint = Files.isDirectory(dir) ? ControlFile.read(dir) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
        if (endpoint.isEmpty()) {
            return OptionalInt.empty();
        }
        Optional<ControlClient> running = Optional.of(new ControlClient(endpoint.get()));
        GetCommand get = new GetCommand();
        get.hash = hash;
        get.output = output;
        get.force = force;
        get.timeout = timeout;
        get.json.json = json;
        try {
            ContentId id = ContentIds.resolve(hash, dir);
            long timeoutMillis = timeout == null ? 0 : Durations.parseMillis(timeout);
            GetTarget destination = GetCommand.destination(output, force).withOnly(List.of());
            return OptionalInt.of(get.run(dir, id, timeoutMillis, destination, running));
        } catch (Exception e) {
            if (e instanceof CliException && e.getCause() instanceof ConnectException) {
                return OptionalInt.empty(); // no node listens where the control file says
            }
            return OptionalInt.of(FailureReport.print(e, "get", FailureReport.wantsJson(args), out, err));
        }
    }
}
