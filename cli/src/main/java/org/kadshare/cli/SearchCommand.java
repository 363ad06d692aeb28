package org.kadshare.cli;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node search <words...>}: the files the network has under these words, best first, one a
 * line: name, size, content ID and how many holders the DHT knows. Exits 9 when nothing is found.
 */
@Command(name = "search", description = {"Find files on the network by the words of their names.",
        "Words are letters and digits, 3 to 40 of them, compared in lower case (Unicode NFKC)."})
final class SearchCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Parameters(arity = "1..*", paramLabel = "<word>", description = "Words of the name; files with more of them rank first.")
    List<String> words;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() {
        String query = String.join(" ", words);
        ControlClient client = RunningNode.require(node.dataDir());
        JsonObject reply = RunningNode.call(() -> client.get("/v1/search", Map.of("q", query)));
        List<Object> results = reply.list("results");
        if (json.json) {
            System.out.println(Json.write(reply.fields()));
        } else {
            for (Object o : results) {
                JsonObject r = JsonObject.of(o);
                long holders = r.longValue("holders");
                System.out.printf("%s  %10s  %s  %s%n", Messages.printable(r.string("name")),
                        Messages.bytes(r.longValue("lengthBytes")), r.string("id"),
                        holders == 0 ? "no holder" : holders == 1 ? "1 holder" : holders + " holders");
            }
        }
        if (results.isEmpty()) {
            throw new CliException(ExitCode.NOT_FOUND, "nothing found for \"" + query + "\"");
        }
        return ExitCode.OK;
    }
}
