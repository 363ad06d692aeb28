package org.kadshare.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code node status}: what the running node is and holds. */
@Command(name = "status", description = "Show the running node's identity, addresses and counts.")
final class StatusCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() {
        return run(node.dataDir(), json.json);
    }

    /** The command itself, apart from its command line (also run by {@link ShortCommands}). */
    static int run(Path dataDir, boolean json) {
        ControlClient client = RunningNode.require(dataDir);
        JsonObject s = RunningNode.call(client::status);
        if (json) {
            System.out.println(Json.write(s.fields()));
            return ExitCode.OK;
        }
        s.fields().forEach((k, v) -> System.out.printf("%-20s %s%n", k, v));
        long stale = s.longValue("staleFiles", 0);
        if (stale > 0) {
            Messages.info(stale + " shared file" + (stale == 1 ? " has" : "s have")
                    + " changed on disk and " + (stale == 1 ? "is" : "are") + " not served: `node ls` shows "
                    + (stale == 1 ? "it" : "them") + ", `node refresh` shares " + (stale == 1 ? "it" : "them")
                    + " again");
        }
        return ExitCode.OK;
    }
}
