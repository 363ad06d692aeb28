package org.kadshare.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import org.kadshare.storage.ContentId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code node providers <hash>}: the holders of a content ID the DHT knows, one address a line. */
@Command(name = "providers", description = "List the nodes that hold a content ID, according to the DHT.")
final class ProvidersCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Parameters(index = "0", paramLabel = "<hash>", description = ContentIds.HASH_HELP)
    String hash;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() {
        ContentId id = ContentIds.resolve(hash, node.dataDir());
        ControlClient client = RunningNode.require(node.dataDir());
        JsonObject reply = RunningNode.call(() -> client.get("/v1/providers", Map.of("id", id.toHex())));
        if (json.json) {
            System.out.println(Json.write(reply.fields()));
        } else {
            reply.list("providers").forEach(System.out::println);
        }
        if (reply.list("providers").isEmpty()) {
            throw new CliException(ExitCode.NOT_FOUND, "no holder of " + id.toHex() + " found");
        }
        return ExitCode.OK;
    }
}
