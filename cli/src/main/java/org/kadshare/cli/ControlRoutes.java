package org.kadshare.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.kadshare.cli.control.ControlError;
import org.kadshare.cli.control.ControlServer;
import org.kadshare.cli.control.JsonException;
import org.kadshare.cli.control.JsonObject;
import org.kadshare.overlay.node.BrowseOptions;
import org.kadshare.overlay.node.Node;
import org.kadshare.overlay.node.PutOptions;
import org.kadshare.overlay.node.TransferRefusedException;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Keywords;

/**
 * The control API's endpoints over a running {@link Node}:
 * <pre>
 * GET  /v1/status                       node id, addresses, counts
 * GET  /v1/peers                        DHT contacts
 * GET  /v1/ls                           shared files
 * GET  /v1/providers?id=HEX             holders the DHT knows for a content ID
 * GET  /v1/ids?prefix=HEX               the content IDs this node knows that start with a prefix
 * GET  /v1/browse?maxQueries=&maxResults=&timeoutMillis=   what the network offers, sampled (BEP 51)
 * GET  /v1/search?q=WORDS               files the network has under these words, best first
 * POST /v1/put  {path, copy, name?, type?}               share a file or a folder (absolute path)
 * POST /v1/rm   {id}                                      stop sharing
 * POST /v1/refresh {}                                     re-scan the shared files, re-hash changed ones
 * POST /v1/get  {id, destination, inside?, only?, overwrite, timeoutMillis}
 *                                       NDJSON events: phase, progress, done|failed
 * POST /v1/stop                                           shut the node down (after the reply)
 * POST /v1/upload?name=NAME  raw body                     keep a file sent from the browser and share it
 * POST /v1/web/login                    a one-time login address for the dashboard (served under /ui/)
 * GET|POST /v1/transfers...             downloads and uploads in progress: {@link TransferRoutes}
 * GET  /metrics                         Prometheus text format; no token needed (loopback only)
 * </pre>
 * Every route is described in docs/API.md.
 */
final class ControlRoutes {
    static final long LOOKUP_TIMEOUT_SECONDS = 30;
    /** The dashboard's default folder for downloads, in the data directory. */
    static final String DOWNLOADS = "downloads";

    private ControlRoutes() {
    }

    /**
     * @param stop what {@code POST /v1/stop} starts once its reply is sent: the same orderly
     *             shutdown as SIGTERM
     */
    static void install(ControlServer server, Node node, Path dataDir, Runnable stop) {
        server.get("/v1/status", r -> {
            Map<String, Object> m = new java.util.LinkedHashMap<>(NodeJson.status(node.status()));
            m.put("dataDir", dataDir.toString());
            m.put("pid", ProcessHandle.current().pid());
            return m;
        });
        server.get("/v1/peers", r -> NodeJson.peers(node.peers().get(LOOKUP_TIMEOUT_SECONDS, TimeUnit.SECONDS)));
        server.get("/v1/ls", r -> TransferJson.sharedWithStats(node));
        server.get("/v1/providers", r -> {
            ContentId id = ContentIds.parse(r.string("id"));
            return NodeJson.providers(id, node.providers(id).get(LOOKUP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        });
        server.get("/v1/ids", r -> {
            String prefix = r.optionalString("prefix").orElse("").toLowerCase(java.util.Locale.ROOT);
            return Map.of("ids", node.knownIds().stream().map(ContentId::toHex).filter(h -> h.startsWith(prefix))
                    .<Object>map(h -> h).toList());
        });
        server.get("/v1/search", r -> {
            String query = r.string("q");
            if (node.status().routingContacts() == 0) {
                throw new CliException(ExitCode.NETWORK, "cannot search: this node has no DHT contacts"
                        + " (not joined to a network, or every peer is gone)");
            }
            long started = System.nanoTime();
            List<org.kadshare.overlay.node.SearchResult> results =
                    node.search(query).get(LOOKUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return NodeJson.search(query, results, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        });
        server.post("/v1/put", r -> {
            Path path = absolute(r, "path");
            PutOptions options = new PutOptions(r.bool("copy", false), r.optionalString("name"),
                    r.optionalString("type")).withTags(tags(r));
            if (java.nio.file.Files.isDirectory(path)) {
                return AnnounceWait.reply(node.putFolder(InputFile.requireFolder(path), options));
            }
            return AnnounceWait.reply(node.put(InputFile.require(path), options));
        });
        server.post("/v1/rm", r -> {
            ContentId id = ContentIds.parse(r.string("id"));
            return Map.of("id", id.toHex(), "removed", node.remove(id));
        });
        try {
            java.nio.file.Files.createDirectories(dataDir.resolve(DOWNLOADS));
        } catch (java.io.IOException e) {
            // a get into it then tells why it cannot be written
            org.slf4j.LoggerFactory.getLogger(ControlRoutes.class).warn("cannot create the dashboard's download"
                    + " folder {}: {}", dataDir.resolve(DOWNLOADS), e.toString());
        }
        server.uploads(new BrowserUploads(dataDir, BrowserUploads.DEFAULT_MAX_BYTES, BrowserUploads.diskSpace(),
                (file, name) -> NodeJson.put(node.put(file, new PutOptions(false, Optional.of(name), Optional.empty())))));
        server.get("/v1/browse", r -> NodeJson.browse(node.browse(new BrowseOptions(
                intArg(r, "maxQueries", BrowseOptions.DEFAULT_MAX_QUERIES),
                intArg(r, "maxResults", BrowseOptions.DEFAULT_MAX_RESULTS),
                intArg(r, "timeoutMillis", BrowseOptions.DEFAULT_TIMEOUT_MILLIS)))));
        server.post("/v1/refresh", r -> NodeJson.refresh(node.refresh()));
        NodeMetrics metrics = new NodeMetrics(node);
        server.getText("/metrics", () -> new ControlServer.TextReply(metrics.contentType(), metrics.scrape()), false);
        server.post("/v1/stop", r -> Map.of("stopping", true, "pid", ProcessHandle.current().pid()), stop);
        server.postStream("/v1/get", (r, events) -> GetFollower.follow(TransferRoutes.start(node, r, false),
                events::emit));
        TransferRoutes.install(server, node);
    }

    /** The {@code tags} of a put request (absent: none), normalised; a refused tag is a request error. */
    private static List<String> tags(JsonObject r) {
        if (!r.has("tags")) {
            return List.of();
        }
        List<String> raw = new java.util.ArrayList<>();
        for (Object tag : r.list("tags")) {
            if (!(tag instanceof String s)) {
                throw new JsonException("field \"tags\" must be a list of strings, got "
                        + (tag == null ? "null" : "a " + tag.getClass().getSimpleName()));
            }
            raw.add(s);
        }
        try {
            return Keywords.tags(raw);
        } catch (IllegalArgumentException e) {
            throw new JsonException(e.getMessage());
        }
    }

    /** The whole-number query parameter {@code field}, or {@code fallback} when absent. */
    private static int intArg(JsonObject r, String field, long fallback) {
        String text = r.optionalString(field).orElse(Long.toString(fallback));
        try {
            return Math.toIntExact(Long.parseLong(text));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new JsonException("parameter \"" + field + "\" must be a whole number, got \"" + text + "\"");
        }
    }

    private static Path absolute(JsonObject r, String field) {
        Path p = Path.of(r.string(field));
        if (!p.isAbsolute()) {
            throw new JsonException("field \"" + field + "\" must be an absolute path");
        }
        return p.normalize();
    }

    /** What a failed request looks like to the client. */
    static ControlError error(Throwable t) {
        if (t instanceof JsonException e) {
            return new ControlError(400, "usage", e.getMessage(), ExitCode.USAGE);
        }
        if (t instanceof TransferRefusedException e) {
            return e.kind() == TransferRefusedException.Kind.NO_SUCH_TRANSFER
                    ? new ControlError(404, "no_such_transfer", e.getMessage(), ExitCode.NOT_FOUND)
                    : new ControlError(409, "conflict", e.getMessage(), ExitCode.CONFLICT);
        }
        Failures.Failure f = Failures.classify(t);
        int status = switch (f.exitCode()) {
            case ExitCode.USAGE -> 400;
            case ExitCode.NOT_FOUND, ExitCode.NO_SUCH_FILE -> 404;
            case ExitCode.DESTINATION -> 409;
            case ExitCode.TIMEOUT -> 504;
            case ExitCode.NETWORK -> 502;
            case ExitCode.INTERNAL -> 500;
            default -> 422;
        };
        return new ControlError(status, Optional.ofNullable(ExitCode.name(f.exitCode())).orElse("error"),
                f.message(), f.exitCode());
    }
}
