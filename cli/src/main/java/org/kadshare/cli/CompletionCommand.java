package org.kadshare.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.Json;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code node completion}: prints a bash completion script; {@code source <(node completion)}. */
@Command(name = "completion", description = "Print a bash completion script (use: source <(node completion)).")
final class CompletionCommand implements Callable<Integer> {
    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() {
        String script = AutoComplete.bash("node", NodeCommand.commandLine(false));
        System.out.print(json.json ? Json.write(Map.of("shell", "bash", "script", script)) + "\n" : script);
        return ExitCode.OK;
    }
}
