package org.kadshare.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code node completion}: prints a bash completion script; {@code source <(node completion)}. */
@Command(name = "completion", description = "Print a bash completion script (use: source <(node completion)).")
final class CompletionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(AutoComplete.bash("node", new CommandLine(new NodeCommand())));
        return ExitCode.OK;
    }
}
