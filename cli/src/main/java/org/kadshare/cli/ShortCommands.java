package org.kadshare.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.BufferedWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.OptionalInt;
import picocli.CommandLine.Help.Ansi;

/**
 * The few command lines a user types most, run without building picocli's command model (which
 * reads every annotation by reflection and is most of a short command's start-up): {@code --help},
 * {@code -h}, {@code --version}, {@code -V}, {@code status [--json]} and
 * {@code hash [--json] <file>}, each with an optional {@code --data-dir <dir>}, and a plain
 * {@code get} through a running node ({@link QuickGet}). Anything else,
 * however close, is not recognised, and {@link NodeCommand} parses it as before. A recognised
 * line does what picocli would: the same command code, the same failure report, and the help
 * text picocli renders (kept as resources; a test compares them with picocli's own rendering).
 */
final class ShortCommands {
    /** The top command's usage without colours, as picocli prints it. */
    static final String PLAIN_HELP = "help/node.txt";
    /** The same with picocli's default colour scheme. */
    static final String ANSI_HELP = "help/node.ansi.txt";
    /** What {@code --version} prints, as in {@link NodeCommand}'s annotation. */
    static final String VERSION = "kadshare 0.1.0";

    private ShortCommands() {
    }

    /** Runs {@code args} if it is one of the recognised lines; its exit code, or empty if not. */
    static OptionalInt run(String... args) {
        Line line = Line.parse(args);
        if (line != null) {
            return line.run(args);
        }
        QuickGet get = QuickGet.parse(args);
        return get == null ? OptionalInt.empty()
                : get.run(args, writer(System.out, "sun.stdout.encoding"), writer(System.err, "sun.stderr.encoding"));
    }

    /** A recognised command line. */
    private record Line(String verb, Path dataDir, boolean json, Path file) {
        static Line parse(String... args) {
            if (args.length == 1) {
                return switch (args[0]) {
                    case "--help", "-h" -> new Line("--help", null, false, null);
                    case "--version", "-V" -> new Line("--version", null, false, null);
                    default -> parseCommand(args);
                };
            }
            return parseCommand(args);
        }

        private static Line parseCommand(String... args) {
            String verb = null;
            String dataDir = null;
            boolean json = false;
            String file = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--data-dir")) {
                    if (dataDir != null || i + 1 >= args.length || !plainValue(args[i + 1])) {
                        return null;
                    }
                    dataDir = args[++i];
                } else if (a.equals("--json") && verb != null && !json) {
                    json = true;
                } else if (!plainValue(a)) {
                    return null;
                } else if (verb == null) {
                    verb = a;
                } else if (verb.equals("hash") && file == null) {
                    file = a;
                } else {
                    return null;
                }
            }
            boolean complete = "status".equals(verb) || ("hash".equals(verb) && file != null);
            if (!complete) {
                return null;
            }
            try {
                return new Line(verb, dataDir == null ? null : Path.of(dataDir), json, file == null ? null : Path.of(file));
            } catch (InvalidPathException e) {
                return null;
            }
        }

        OptionalInt run(String... args) {
            PrintWriter out = writer(System.out, "sun.stdout.encoding");
            PrintWriter err = writer(System.err, "sun.stderr.encoding");
            try {
                return switch (verb) {
                    case "--help" -> help(out);
                    case "--version" -> {
                        out.println(VERSION);
                        out.flush();
                        yield OptionalInt.of(ExitCode.OK);
                    }
                    case "status" -> OptionalInt.of(StatusCommand.run(DataDirectory.resolve(dataDir, System.getenv()), json));
                    case "hash" -> OptionalInt.of(HashCommand.run(file, json));
                    default -> throw new IllegalStateException(verb);
                };
            } catch (Exception e) {
                return OptionalInt.of(FailureReport.print(e, verb, FailureReport.wantsJson(args), out, err));
            }
        }

        private static OptionalInt help(PrintWriter out) throws IOException {
            if (System.getProperty("picocli.usage.width") != null) {
                return OptionalInt.empty();
            }
            // The colour choice of NodeCommand's scheme: picocli's automatic one where stderr is a
            // terminal, none where it is not.
            boolean ansi = Terminal.stderrIsTerminal() && Ansi.AUTO.enabled();
            out.print(resource(ansi ? ANSI_HELP : PLAIN_HELP));
            out.flush();
            return OptionalInt.of(ExitCode.OK);
        }
    }

    /** A word picocli takes as it is: not an option, an argument file (@file) or empty. */
    static boolean plainValue(String a) {
        return !a.isEmpty() && !a.startsWith("-") && !a.startsWith("@");
    }

    static String resource(String name) throws IOException {
        try (InputStream in = ShortCommands.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A writer like picocli's on {@code stream}: its encoding property, else the default charset. */
    private static PrintWriter writer(PrintStream stream, String encodingProperty) {
        Charset charset = Charset.defaultCharset();
        String name = System.getProperty(encodingProperty);
        if (name != null) {
            try {
                charset = Charset.forName(name);
            } catch (IllegalArgumentException e) {
                charset = Charset.defaultCharset();
            }
        }
        return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
    }
}
