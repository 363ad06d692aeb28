package org.kadshare.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import org.kadshare.overlay.node.BrowseOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node browse}: what the network offers, sampled by the running node from the nodes it can
 * reach (BEP 51 sample_infohashes), with names from manifests: ID, size, name, one a line. Exits 9
 * (not found) when nothing with a manifest was seen.
 */
@Command(name = "browse", description = "List what the nodes this node can reach hold or have recently had"
        + " published, sampled with a bounded crawl.")
final class BrowseCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Mixin
    JsonOption json = new JsonOption();

    @Option(names = "--max-queries", paramLabel = "<n>",
            description = "Ask at most this many nodes for samples (1..1024, default: ${DEFAULT-VALUE}).")
    int maxQueries = BrowseOptions.DEFAULT_MAX_QUERIES;

    @Option(names = "--max-results", paramLabel = "<n>",
            description = "Look up names for at most this many sampled IDs (1..500, default: ${DEFAULT-VALUE}).")
    int maxResults = BrowseOptions.DEFAULT_MAX_RESULTS;

    @Option(names = "--timeout", paramLabel = "<duration>",
            description = "Stop after this long and list what arrived (default: 10s).")
    String timeout;

    @Override
    public Integer call() {
        long timeoutMillis = timeout == null ? BrowseOptions.DEFAULT_TIMEOUT_MILLIS : Durations.parseMillis(timeout);
        try {
            new BrowseOptions(maxQueries, maxResults, timeoutMillis);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
        ControlClient client = RunningNode.require(node.dataDir());
        Map<String, String> query = new LinkedHashMap<>();
        query.put("maxQueries", Integer.toString(maxQueries));
        query.put("maxResults", Integer.toString(maxResults));
        query.put("timeoutMillis", Long.toString(timeoutMillis));
        JsonObject reply = RunningNode.call(() -> client.get("/v1/browse", query));
        if (json.json) {
            System.out.println(Json.write(reply.fields()));
        } else {
            for (Object o : reply.list("files")) {
                JsonObject f = JsonObject.of(o);
                System.out.printf("%s  %10s  %s%n", f.string("id"), Messages.bytes(f.longValue("lengthBytes")),
                        Messages.printable(f.string("name")));
            }
            Messages.info(reply.list("files").size() + " file(s) from " + reply.longValue("keysSampled")
                    + " sampled ID(s); " + reply.longValue("queries") + " queries, " + reply.longValue("answered")
                    + " answered, " + reply.longValue("nodesSeen") + " nodes heard of; " + reply.longValue("unnamed")
                    + " ID(s) without a manifest found");
        }
        if (reply.list("files").isEmpty()) {
            throw new CliException(ExitCode.NOT_FOUND, "nothing with a name was seen on the network");
        }
        return ExitCode.OK;
    }
}
