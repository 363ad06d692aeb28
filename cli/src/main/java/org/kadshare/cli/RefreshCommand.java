package org.kadshare.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node refresh}: the running node re-scans the files it shares; a changed one is hashed
 * again and shared under its new ID, one gone from disk stops being shared. Prints one line per
 * file that changed (stdout) and a summary (stderr). Exits 1 if a changed file could not be
 * hashed again.
 */
@Command(name = "refresh", description = "Re-scan the shared files: share changed ones again under their new"
        + " ID, stop sharing deleted ones.")
final class RefreshCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() {
        ControlClient client = RunningNode.require(node.dataDir());
        JsonObject reply = RunningNode.call(() -> client.post("/v1/refresh", Map.of()));
        int failed = reply.list("failed").size();
        if (json.json) {
            System.out.println(Json.write(reply.fields()));
        } else {
            for (Object o : reply.list("rehashed")) {
                JsonObject f = JsonObject.of(o);
                boolean same = f.string("id").equals(f.string("oldId"));
                System.out.printf("rehashed   %s  %s%s%n", f.string("id"), Messages.printable(f.string("name")),
                        same ? "  (same content)" : "  (was " + f.string("oldId") + ")");
            }
            for (Object o : reply.list("withdrawn")) {
                JsonObject f = JsonObject.of(o);
                System.out.printf("withdrawn  %s  %s  (gone from %s)%n", f.string("id"),
                        Messages.printable(f.string("name")), Messages.printable(f.string("path")));
            }
            for (Object o : reply.list("failed")) {
                JsonObject f = JsonObject.of(o);
                System.out.printf("failed     %s  %s  (%s)%n", f.string("id"), Messages.printable(f.string("name")),
                        Messages.printable(f.string("reason")));
            }
            Messages.info(reply.list("rehashed").size() + " re-hashed, " + reply.list("withdrawn").size()
                    + " withdrawn, " + failed + " failed, " + reply.longValue("unchanged") + " unchanged");
        }
        return failed > 0 ? ExitCode.IO : ExitCode.OK;
    }
}
