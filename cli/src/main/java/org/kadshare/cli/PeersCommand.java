package org.kadshare.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** {@code node peers}: the running node's DHT contacts, one a line: id, address, live or not. */
@Command(name = "peers", description = "List the running node's DHT contacts.")
final class PeersCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() {
        ControlClient client = RunningNode.require(node.dataDir());
        JsonObject reply = RunningNode.call(() -> client.get("/v1/peers", Map.of()));
        if (json.json) {
            System.out.println(Json.write(reply.fields()));
            return ExitCode.OK;
        }
        for (Object o : reply.list("peers")) {
            JsonObject p = JsonObject.of(o);
            System.out.println(p.string("id") + "  " + p.string("address") + "  "
                    + (p.bool("live", false) ? "live" : "questionable"));
        }
        return ExitCode.OK;
    }
}
