package org.kadshare.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import org.kadshare.overlay.node.GetOptions;
import org.kadshare.overlay.node.GetTarget;
import org.kadshare.overlay.node.GetTask;
import org.kadshare.overlay.node.Node;
import org.kadshare.storage.ContentId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node get <hash> [-o <path>] [--only <glob>]}: fetches a file, or a collection's whole
 * tree, by content ID. Through the running node when there is one (it keeps the file and serves it
 * afterwards); otherwise a temporary node joins through the configured bootstrap list, downloads,
 * and stops. Without {@code -o}, or with a directory, the name comes from the content's manifests,
 * made safe. The path written goes to stdout; phases and a progress bar to stderr when it is a
 * terminal. With {@code --detach} the running node takes the download over as a transfer and the
 * command prints its transfer ID at once.
 */
@Command(name = "get", description = "Fetch a file or a shared folder by content ID; prints the path written.")
final class GetCommand implements Callable<Integer> {
    /** How often a get through a temporary node checks whether a bootstrap node has answered. */
    private static final long JOIN_POLL_MILLIS = 20;

    @ParentCommand
    NodeCommand node;

    @Parameters(index = "0", paramLabel = "<hash>", description = ContentIds.HASH_HELP)
    String hash;

    @Option(names = {"-o", "--output"}, paramLabel = "<path>",
            description = "Where to write it; an existing directory or a path ending in / puts it inside under"
                    + " its manifest name. Default: the current directory.")
    String output;

    @Option(names = "--only", paramLabel = "<glob>",
            description = "For a shared folder: fetch only the files whose path (or, without /, name) matches;"
                    + " repeatable.")
    List<String> only = new ArrayList<>();

    @Option(names = "--force", description = "Overwrite the destination if it exists.")
    boolean force;

    @Option(names = "--timeout", paramLabel = "<duration>", description = "Give up after this long (e.g. 30s, 5m).")
    String timeout;

    @Option(names = "--detach", description = "Leave the download to the running node and return at once; prints"
            + " its transfer ID (follow it with `transfers`).")
    boolean detach;

    @Option(names = "--progress", description = "Show phases and a progress bar even when stderr is not a terminal.")
    boolean progress;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    SettingsOptions options = new SettingsOptions();

    @Override
    public Integer call() throws Exception {
        Path dir = node.dataDir();
        ContentId id = ContentIds.resolve(hash, dir);
        long timeoutMillis = timeout == null ? 0 : Durations.parseMillis(timeout);
        GetTarget destination = destination(output, force).withOnly(only);
        return run(dir, id, timeoutMillis, destination, Files.isDirectory(dir) ? RunningNode.find(dir) : Optional.empty());
    }

    /**
     * The get of {@link #call} once its arguments are checked: through {@code running}, else with
     * a temporary node on {@code dir}. {@link ShortCommands} comes in here too, without picocli,
     * for a plain get through a running node.
     */
    int run(Path dir, ContentId id, long timeoutMillis, GetTarget destination, Optional<ControlClient> running)
            throws Exception {
        boolean terminal = Terminal.stderrIsTerminal();
        GetReporter reporter = new GetReporter(json.json, progress || terminal, terminal, System.out, System.err);
        if (detach) {
            return detached(running.orElseThrow(() -> new CliException(ExitCode.NO_NODE, "--detach leaves the"
                    + " download to a running node, and none runs on " + dir + " (start one with `node join`)")),
                    id, destination, timeoutMillis);
        }
        JsonObject done;
        try {
            done = running.isPresent()
                    ? viaNode(running.get(), id, destination, timeoutMillis, reporter)
                    : withTemporaryNode(DataDirs.prepare(dir), id, destination, timeoutMillis, reporter);
        } finally {
            reporter.endLine();
        }
        if (!json.json) {
            long files = done.longValue("files", -1);
            Messages.info("fetched " + (files >= 0 ? files + (files == 1 ? " file, " : " files, ") : "")
                    + Messages.bytes(done.longValue("lengthBytes")) + " into " + done.string("path"));
            System.out.println(done.string("path"));
        }
        return ExitCode.OK;
    }

    /**
     * Resolves and checks the destination before any network work: none, an existing directory or
     * a path ending in {@code /} is a directory to name the content in; anything else the exact path.
     */
    static GetTarget destination(String output, boolean overwrite) {
        String given = output == null ? "." : output;
        Path p = Path.of(given).toAbsolutePath().normalize();
        if (given.endsWith("/") || given.endsWith(java.io.File.separator) || Files.isDirectory(p)) {
            if (!Files.isDirectory(p)) {
                throw new CliException(ExitCode.DESTINATION, "the directory " + p + " does not exist");
            }
            if (!Files.isWritable(p)) {
                throw new CliException(ExitCode.DESTINATION, "cannot write into " + p + ": permission denied");
            }
            return GetTarget.into(p);
        }
        if (Files.exists(p) && !overwrite) {
            throw new CliException(ExitCode.DESTINATION, "destination " + p + " exists (use --force to overwrite)");
        }
        Path parent = p.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CliException(ExitCode.DESTINATION, "the directory of destination " + p + " does not exist");
        }
        if (!Files.isWritable(parent)) {
            throw new CliException(ExitCode.DESTINATION, "cannot write into " + parent + ": permission denied");
        }
        return GetTarget.file(p);
    }

    private int detached(ControlClient client, ContentId id, GetTarget destination, long timeoutMillis) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.toHex());
        body.put("out", destination.path().toString());
        body.put("inside", destination.inside());
        body.put("only", destination.only());
        body.put("overwrite", force);
        body.put("timeoutMillis", timeoutMillis);
        JsonObject t = RunningNode.call(() -> client.post("/v1/transfers", body));
        if (json.json) {
            System.out.println(Json.write(t.fields()));
        } else {
            Messages.info("downloading " + id.toHex() + " as transfer " + t.string("transfer")
                    + " (follow it with `transfers`)");
            System.out.println(t.string("transfer"));
        }
        return ExitCode.OK;
    }

    private JsonObject viaNode(ControlClient client, ContentId id, GetTarget destination, long timeoutMillis,
            GetReporter reporter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.toHex());
        body.put("destination", destination.path().toString());
        body.put("inside", destination.inside());
        body.put("only", destination.only());
        body.put("overwrite", force);
        body.put("timeoutMillis", timeoutMillis);
        AtomicReference<JsonObject> done = new AtomicReference<>();
        RunningNode.call(() -> {
            client.postStream("/v1/get", body, e -> {
                if ("tick".equals(e.optionalString("event").orElse(""))) {
                    return;
                }
                if ("done".equals(e.optionalString("event").orElse(""))) {
                    done.set(e);
                }
                reporter.event(e);
            });
            return null;
        });
        if (done.get() == null) {
            throw new CliException(ExitCode.IO, "the running node ended the download without a result");
        }
        return done.get();
    }

    private JsonObject withTemporaryNode(Path dir, ContentId id, GetTarget destination, long timeoutMillis,
            GetReporter reporter) throws Exception {
        try (NodeLock lock = NodeLock.acquire(dir)) {
            NodeSettings settings = options.merge(dir);
            if (settings.bootstrap().isEmpty()) {
                throw new CliException(ExitCode.NO_NODE, "no node is running on " + dir + " and no bootstrap node is"
                        + " configured: start `node join`, or pass --bootstrap <host:port>");
            }
            try (Node n = NodeStarter.start(dir, settings, 0)) {
                join(n, settings.bootstrap(), timeoutMillis);
                GetTask task = n.get(id, destination,
                        GetOptions.defaults().withOverwrite(force).withTimeoutMillis(timeoutMillis)
                                .withListener(e -> { }));
                Signals.onInterruptOrTerminate(task::cancel);
                AtomicReference<JsonObject> done = new AtomicReference<>();
                GetFollower.follow(task, e -> {
                    JsonObject event = new JsonObject(e);
                    if ("done".equals(event.optionalString("event").orElse(""))) {
                        done.set(event);
                    }
                    reporter.event(event);
                });
                return done.get();
            }
        }
    }

    /**
     * Joins through {@code bootstrap} far enough for a get: until a bootstrap node has answered
     * (the get's own lookup starts from the contacts it gave), not until the join's lookups of our
     * own ID and every bucket are over, which may wait for contacts that left; those go on.
     */
    private static void join(Node n, List<InetSocketAddress> bootstrap, long timeoutMillis) {
        long limit = timeoutMillis > 0 ? Math.min(timeoutMillis, JoinCommand.JOIN_TIMEOUT_SECONDS * 1000)
                : JoinCommand.JOIN_TIMEOUT_SECONDS * 1000;
        String list = bootstrap.stream().map(BootstrapAddress::format).toList().toString();
        int contacts;
        try {
            CompletableFuture<Integer> joining = n.join(NodeStarter.resolve(bootstrap));
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limit);
            while (!joining.isDone() && n.status().liveContacts() == 0) {
                if (System.nanoTime() > deadline) {
                    throw new java.util.concurrent.TimeoutException();
                }
                Thread.sleep(JOIN_POLL_MILLIS);
            }
            contacts = joining.isDone() ? joining.get() : n.status().liveContacts();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.NETWORK, "interrupted while joining through " + list);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new CliException(ExitCode.TIMEOUT, "no bootstrap node answered within " + limit + " ms: " + list);
        } catch (Exception e) {
            throw new CliException(ExitCode.NETWORK, "could not join the network through " + list + ": " + e);
        }
        if (contacts == 0) {
            throw new CliException(ExitCode.NETWORK, "could not reach any bootstrap node: " + list);
        }
    }
}
