package org.kadshare.cli;

/** Entry point of the {@code node} program. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(NodeCommand.run(args));
    }
}
