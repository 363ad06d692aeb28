package org.kadshare.cli;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import org.kadshare.overlay.node.TransferCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node pause|resume|cancel <transfer>}: steers one download of the running node by its
 * transfer ID (from {@code get --detach} or {@code transfers}). Asking for the state a download is
 * in already is no error; a finished download answers with exit code 16 (conflict).
 */
abstract class TransferControlCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Parameters(index = "0", paramLabel = "<transfer>", description = "A transfer ID, as `transfers` lists them (d1, d2, ...).")
    String transfer;

    @Mixin
    JsonOption json = new JsonOption();

    abstract TransferCommand command();

    @Override
    public Integer call() {
        ControlClient client = RunningNode.require(node.dataDir());
        String verb = command().name().toLowerCase(Locale.ROOT);
        JsonObject reply = RunningNode.call(() -> client.post("/v1/transfers/" + verb, Map.of("transfer", transfer)));
        if (json.json) {
            System.out.println(Json.write(reply.fields()));
        } else {
            Messages.info("transfer " + reply.string("transfer") + " is " + reply.string("state")
                    + reply.optionalString("message").map(m -> ": " + m).orElse(""));
        }
        return ExitCode.OK;
    }

    /** {@code node pause}. */
    @Command(name = "pause",
            description = "Pause a download of the running node; its verified part is kept.")
    static final class Pause extends TransferControlCommand {
        @Override
        TransferCommand command() {
            return TransferCommand.PAUSE;
        }
    }

    /** {@code node resume}. */
    @Command(name = "resume",
            description = "Resume a paused or failed download of the running node from its verified part.")
    static final class Resume extends TransferControlCommand {
        @Override
        TransferCommand command() {
            return TransferCommand.RESUME;
        }
    }

    /** {@code node cancel}. */
    @Command(name = "cancel",
            description = "Cancel a download of the running node and remove its verified part.")
    static final class Cancel extends TransferControlCommand {
        @Override
        TransferCommand command() {
            return TransferCommand.CANCEL;
        }
    }
}
