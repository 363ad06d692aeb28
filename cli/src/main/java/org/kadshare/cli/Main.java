package org.kadshare.cli;

import java.util.OptionalInt;

/** Entry point of the {@code node} program. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if ((args.length == 1 || (args.length == 2 && args[1].equals(ClassDataTraining.NODES)))
                && args[0].equals(ClassDataTraining.ARGUMENT)) {
            System.exit(ClassDataTraining.run(args.length == 2));
        }
        OptionalInt quick = ShortCommands.run(args);
        System.exit(quick.isPresent() ? quick.getAsInt() : NodeCommand.run(args));
    }
}
