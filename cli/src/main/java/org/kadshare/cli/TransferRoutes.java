package org.kadshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.kadshare.cli.control.ControlServer;
import org.kadshare.cli.control.JsonException;
import org.kadshare.cli.control.JsonObject;
import org.kadshare.overlay.node.GetOptions;
import org.kadshare.overlay.node.GetTarget;
import org.kadshare.overlay.node.GetTask;
import org.kadshare.overlay.node.Node;
import org.kadshare.overlay.node.TransferCommand;
import org.kadshare.overlay.node.Transfers;
import org.kadshare.storage.ContentId;

/**
 * The control API's transfer endpoints over a node's {@link Transfers}:
 * <pre>
 * GET  /v1/transfers[?transfer=ID]      every transfer, or one
 * POST /v1/transfers {id, out, only?, overwrite?, timeoutMillis?}   start a detached download
 * POST /v1/transfers/pause  {transfer}  stop a download, keeping its verified part
 * POST /v1/transfers/resume {transfer}  start it again from its verified part
 * POST /v1/transfers/cancel {transfer}  stop it for good and remove its verified part
 * </pre>
 * Every route is described in docs/API.md.
 */
final class TransferRoutes {
    private TransferRoutes() {
    }

    static void install(ControlServer server, Node node) {
        Transfers transfers = node.transfers();
        server.get("/v1/transfers", r -> r.has("transfer")
                ? TransferJson.transfer(transfers.get(r.string("transfer")))
                : TransferJson.transfers(transfers.list()));
        server.post("/v1/transfers", r -> {
            GetTask task = start(node, r, true);
            String transferId = Transfers.transferId(task);
            TransferLog.detached(task, transferId, Path.of(r.string("out")));
            return TransferJson.transfer(transfers.get(transferId));
        });
        command(server, transfers, "pause", TransferCommand.PAUSE);
        command(server, transfers, "resume", TransferCommand.RESUME);
        command(server, transfers, "cancel", TransferCommand.CANCEL);
    }

    private static void command(ControlServer server, Transfers transfers, String name, TransferCommand command) {
        server.post("/v1/transfers/" + name, r -> TransferJson.transfer(transfers.command(r.string("transfer"),
                command)));
    }

    /**
     * Starts a download from a request: {@code id}, the absolute path {@code out} (for
     * {@code POST /v1/get}, which follows it, {@code destination}), and optional {@code inside}, {@code only},
     * {@code overwrite} and {@code timeoutMillis}. {@code out} is a directory to name the content in
     * when {@code inside} says so, or, without {@code inside}, when it is an existing directory or
     * ends in {@code /}. The destination is checked before anything starts.
     */
    static GetTask start(Node node, JsonObject r, boolean detached) {
        ContentId id = ContentIds.parse(r.string("id"));
        String field = detached ? "out" : "destination";
        String out = r.string(field);
        Path path = Path.of(out);
        if (!path.isAbsolute()) {
            throw new JsonException("field \"" + field + "\" must be an absolute path");
        }
        boolean overwrite = r.bool("overwrite", false);
        boolean inside = r.has("inside") ? r.bool("inside", false) : out.endsWith("/") || Files.isDirectory(path);
        GetTarget checked = GetCommand.destination(inside && !out.endsWith("/") ? out + "/" : out, overwrite);
        List<String> only = r.has("only") ? r.list("only").stream().map(String::valueOf).toList() : List.of();
        GetTarget target = new GetTarget(checked.path(), checked.inside(), only);
        return node.transfers().download(id, target, GetOptions.defaults().withOverwrite(overwrite)
                .withTimeoutMillis(r.longValue("timeoutMillis", 0)), detached);
    }
}
