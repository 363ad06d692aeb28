package org.kadshare.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node transfers}: the running node's downloads (running, paused, failed, and the latest
 * finished ones) and uploads in progress, one line each: transfer ID, direction, state, progress,
 * rate, peers, ETA, content ID and where it goes.
 */
@Command(name = "transfers", description = "List the running node's downloads and uploads.")
final class TransfersCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() {
        ControlClient client = RunningNode.require(node.dataDir());
        JsonObject reply = RunningNode.call(() -> client.get("/v1/transfers", Map.of()));
        if (json.json) {
            System.out.println(Json.write(reply.fields()));
            return ExitCode.OK;
        }
        List<Object> all = reply.list("transfers");
        if (all.isEmpty()) {
            Messages.info("no transfers");
            return ExitCode.OK;
        }
        System.out.printf("%-6s %-4s %-9s %5s  %-21s %-12s %-5s %-6s %-12s %s%n", "ID", "DIR", "STATE", "DONE",
                "BYTES", "RATE", "PEERS", "ETA", "CONTENT", "TO/FROM");
        for (Object o : all) {
            System.out.println(line(JsonObject.of(o)));
        }
        return ExitCode.OK;
    }

    /** One row of the table. */
    static String line(JsonObject t) {
        long done = t.longValue("bytesDone");
        long total = t.longValue("totalBytes");
        boolean upload = "upload".equals(t.string("direction"));
        String percent = total < 0 ? "?" : total == 0 ? "100%" : Math.min(100, done * 100 / total) + "%";
        String where = upload ? peerOf(t) : t.optionalString("destination").orElse("(not named yet)");
        String state = t.string("state");
        return String.format(Locale.ROOT, "%-6s %-4s %-9s %5s  %-21s %-12s %-5d %-6s %-12s %s",
                t.string("transfer"), upload ? "up" : "down", state, percent,
                Messages.bytes(done) + " / " + (total < 0 ? "?" : Messages.bytes(total)),
                "running".equals(state) ? Messages.bytes(t.longValue("bytesPerSecond")) + "/s" : "-",
                t.longValue("peersConnected"), ProgressView.eta(t.longValue("etaMillis")),
                t.string("id").substring(0, 12), Messages.printable(where))
                + t.optionalString("message").map(m -> "  (" + Messages.printable(m) + ")").orElse("");
    }

    private static String peerOf(JsonObject t) {
        List<Object> peers = t.list("peers");
        return peers.isEmpty() ? "?" : JsonObject.of(peers.get(0)).string("address");
    }
}
