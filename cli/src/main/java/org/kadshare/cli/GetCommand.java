package org.kadshare.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.JsonObject;
import org.kadshare.overlay.node.GetOptions;
import org.kadshare.overlay.node.GetTask;
import org.kadshare.overlay.node.Node;
import org.kadshare.storage.ContentId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node get <hash> [-o <path>]}: fetches a file by content ID. Through the running node when
 * there is one (it keeps the file and serves it afterwards); otherwise a temporary node joins
 * through the configured bootstrap list, downloads, and stops. The destination path goes to
 * stdout; phases and a progress bar to stderr when it is a terminal.
 */
@Command(name = "get", description = "Fetch a file by content ID; prints the path it was written to.")
final class GetCommand implements Callable<Integer> {
    /** How often a get through a temporary node checks whether a bootstrap node has answered. */
    private static final long JOIN_POLL_MILLIS = 20;

    @ParentCommand
    NodeCommand node;

    @Parameters(index = "0", paramLabel = "<hash>", description = "Content ID (64 hex digits).")
    String hash;

    @Option(names = {"-o", "--output"}, paramLabel = "<path>",
            description = "Where to write the file (a directory: the file goes in it). Default: ./<hash>.")
    Path output;

    @Option(names = "--force", description = "Overwrite the destination if it exists.")
    boolean force;

    @Option(names = "--timeout", paramLabel = "<duration>", description = "Give up after this long (e.g. 30s, 5m).")
    String timeout;

    @Option(names = "--progress", description = "Show phases and a progress bar even when stderr is not a terminal.")
    boolean progress;

    @Mixin
    JsonOption json = new JsonOption();

    @Mixin
    SettingsOptions options = new SettingsOptions();

    @Override
    public Integer call() throws Exception {
        ContentId id = ContentIds.parse(hash);
        long timeoutMillis = timeout == null ? 0 : Durations.parseMillis(timeout);
        Path destination = destination(output, id, force);
        Path dir = node.dataDir();
        GetReporter reporter = new GetReporter(json.json, progress || System.console() != null, System.out,
                System.err);
        Optional<ControlClient> running = Files.isDirectory(dir) ? RunningNode.find(dir) : Optional.empty();
        long length;
        try {
            length = running.isPresent()
                    ? viaNode(running.get(), id, destination, timeoutMillis, reporter)
                    : withTemporaryNode(DataDirs.prepare(dir), id, destination, timeoutMillis, reporter);
        } finally {
            reporter.endLine();
        }
        if (!json.json) {
            Messages.info("fetched " + Messages.bytes(length) + " into " + destination);
            System.out.println(destination);
        }
        return ExitCode.OK;
    }

    /** Resolves and checks the destination before any network work. */
    static Path destination(Path output, ContentId id, boolean overwrite) {
        Path p = (output == null ? Path.of(id.toHex()) : output).toAbsolutePath().normalize();
        if (Files.isDirectory(p)) {
            p = p.resolve(id.toHex());
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
        return p;
    }

    private long viaNode(ControlClient client, ContentId id, Path destination, long timeoutMillis,
            GetReporter reporter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id.toHex());
        body.put("destination", destination.toString());
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
        return done.get().longValue("lengthBytes");
    }

    private long withTemporaryNode(Path dir, ContentId id, Path destination, long timeoutMillis,
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
                return GetFollower.follow(task, destination, e -> reporter.event(new JsonObject(e))).lengthBytes();
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
