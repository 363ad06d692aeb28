package org.kadshare.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code --data-dir} option. Declared once on the top command and inherited by every
 * subcommand, so it may stand before or after the verb.
 */
final class DataDirOption {
    @Option(names = "--data-dir", paramLabel = "<dir>", scope = ScopeType.INHERIT,
            description = "Node data directory (default: $KADSHARE_DATA_DIR, else $XDG_DATA_HOME/kadshare, "
                    + "else ~/.local/share/kadshare).")
    Path dataDir;

    Path resolve() {
        return DataDirectory.resolve(dataDir, System.getenv());
    }
}
