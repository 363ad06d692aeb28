package org.kadshare.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The layout of a node's data directory. */
final class DataDirs {
    private DataDirs() {
    }

    /** Creates the data directory if needed; a clear error if it cannot be. */
    static Path prepare(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (AccessDeniedException e) {
            throw new CliException(ExitCode.PERMISSION, "cannot create data directory " + dir + ": permission denied");
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "cannot create data directory " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new CliException(ExitCode.PERMISSION, "data directory " + dir + " is not writable");
        }
        return dir;
    }

    static Path store(Path dataDir) {
        return dataDir.resolve("store");
    }

    static Path manifests(Path dataDir) {
        return dataDir.resolve("manifests");
    }
}
