package org.kadshare.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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
        description = "A kadshare peer: share and fetch files by content ID.")
final class NodeCommand implements Callable<Integer> {
    /**
     * Every subcommand, in the order of the help. Listed here rather than in the annotation so a
     * command line naming one builds only that one: picocli reads each command's annotations by
     * reflection, which is a good part of a short command's start-up.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("join", JoinCommand::new);
        m.put("put", PutCommand::new);
        m.put("get", GetCommand::new);
        m.put("status", StatusCommand::new);
        m.put("peers", PeersCommand::new);
        m.put("ls", LsCommand::new);
        m.put("rm", RmCommand::new);
        m.put("refresh", RefreshCommand::new);
        m.put("providers", ProvidersCommand::new);
        m.put("browse", BrowseCommand::new);
        m.put("search", SearchCommand::new);
        m.put("hash", HashCommand::new);
        m.put("manifest", ManifestCommand::new);
        m.put("transfers", TransfersCommand::new);
        m.put("pause", TransferControlCommand.Pause::new);
        m.put("resume", TransferControlCommand.Resume::new);
        m.put("cancel", TransferControlCommand.Cancel::new);
        m.put("stop", StopCommand::new);
        m.put("web", WebCommand::new);
        m.put("completion", CompletionCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    @Mixin
    DataDirOption dataDirOption = new DataDirOption();

    @Spec
    CommandSpec spec;

    static int run(String... args) {
        return commandLine(FailureReport.wantsJson(args), verb(args)).execute(args);
    }

    /** The whole command line, every subcommand included. */
    static CommandLine commandLine(boolean json) {
        return commandLine(json, null);
    }

    /** The command line with only {@code verb}'s subcommand, or every one if it names none. */
    static CommandLine commandLine(boolean json, String verb) {
        CommandLine cli = new CommandLine(new NodeCommand());
        COMMANDS.forEach((name, command) -> {
            if (verb == null || !COMMANDS.containsKey(verb) || verb.equals("help") || verb.equals(name)) {
                cli.addSubcommand(name, command.get());
            }
        });
        cli.setColorScheme(Help.defaultColorScheme(Terminal.stderrIsTerminal() ? Help.Ansi.AUTO : Help.Ansi.OFF));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                FailureReport.print(e, commandLine.getCommandName(), json, commandLine.getOut(), commandLine.getErr()));
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

    /** The first word of the command line that is neither an option nor the top command's option value. */
    static String verb(String... args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--data-dir")) {
                i++;
            } else if (a.equals("--")) {
                return i + 1 < args.length ? args[i + 1] : null;
            } else if (!a.startsWith("-")) {
                return a;
            }
        }
        return null;
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
