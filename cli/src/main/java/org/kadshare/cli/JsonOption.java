package org.kadshare.cli;

import picocli.CommandLine.Option;

/** The {@code --json} flag: results as one JSON object on stdout (NDJSON events for {@code get}). */
final class JsonOption {
    @Option(names = "--json", description = "Print the result as JSON on stdout.")
    boolean json;
}
