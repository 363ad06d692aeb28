package org.kadshare.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The top-level {@code node} command; its subcommands are the user's verbs. */
@Command(name = "node", mixinStandardHelpOptions = true, version = "kadshare 0.1.0",
        description = "A kadshare peer: share and fetch files by content ID.",
        subcommands = {JoinCommand.class, PutCommand.class, GetCommand.class, StatusCommand.class,
                PeersCommand.class, LsCommand.class, RmCommand.class, ProvidersCommand.class, HashCommand.class,
                ManifestCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
final class NodeCommand implements Callable<Integer> {
    @Mixin
    DataDirOption dataDirOption = new DataDirOption();

    static int run(String... args) {
        CommandLine cli = new CommandLine(new NodeCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> report(e, commandLine.getErr()));
        return cli.execute(args);
    }

    private static int report(Exception e, PrintWriter err) {
        Failures.Failure f = Failures.classify(e);
        err.println("node: " + f.message());
        if (f.exitCode() == ExitCode.INTERNAL) {
            e.printStackTrace(err);
        }
        err.flush();
        return f.exitCode();
    }

    /** The data directory this invocation works on. */
    Path dataDir() {
        return dataDirOption.resolve();
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return ExitCode.USAGE;
    }
}
