package org.kadshare.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code node} command; its subcommands are the user's verbs. */
@Command(name = "node", mixinStandardHelpOptions = true, version = "kadshare 0.1.0",
        description = "A kadshare peer: share and fetch files by content ID.")
final class NodeCommand implements Runnable {

    static int run(String... args) {
        return new CommandLine(new NodeCommand()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.err);
    }
}
