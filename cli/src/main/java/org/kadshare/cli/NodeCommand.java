package org.kadshare.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code node} command; its subcommands are the user's verbs. {@code -h/--help}
 * (and {@code -V/--version}) are inherited by every subcommand.
 */
@Command(name = "node", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "kadshare 0.1.0",
        description = "A kadshare peer: share and fetch files by content ID.",
        subcommands = {JoinCommand.class, PutCommand.class, GetCommand.class, StatusCommand.class,
                PeersCommand.class, LsCommand.class, RmCommand.class, ProvidersCommand.class, HashCommand.class,
                ManifestCommand.class, StopCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
final class NodeCommand implements Callable<Integer> {
    @Mixin
    DataDirOption dataDirOption = new DataDirOption();

    @Spec
    CommandSpec spec;

    static int run(String... args) {
        return commandLine(FailureReport.wantsJson(args)).execute(args);
    }

    static CommandLine commandLine(boolean json) {
        CommandLine cli = new CommandLine(new NodeCommand());
        cli.setColorScheme(Help.defaultColorScheme(Terminal.stderrIsTerminal() ? Help.Ansi.AUTO : Help.Ansi.OFF));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                report(e, commandLine.getCommandName(), json, commandLine.getOut(), commandLine.getErr()));
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            if (json) {
                return FailureReport.print(c.getCommandName(), ExitCode.USAGE, e.getMessage(), true, c.getOut(),
                        c.getErr());
            }
            c.getErr().println(Terminal.printable(e.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(e, c.getErr());
            c.usage(c.getErr(), c.getColorScheme());
            return ExitCode.USAGE;
        });
        return cli;
    }

    private static int report(Exception e, String command, boolean json, PrintWriter out, PrintWriter err) {
        Failures.Failure f = Failures.classify(e);
        FailureReport.print(command, f.exitCode(), f.message(), json, out, err);
        if (f.exitCode() == ExitCode.INTERNAL) {
            e.printStackTrace(err);
            err.flush();
        }
        return f.exitCode();
    }

    /** The data directory this invocation works on. */
    Path dataDir() {
        return dataDirOption.resolve();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCode.USAGE;
    }
}
