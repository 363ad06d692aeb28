package org.kadshare.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** Checks that a path the user named is a regular file we can read, with a clear error if not. */
final class InputFile {
    private InputFile() {
    }

    static Path require(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new CliException(ExitCode.NO_SUCH_FILE, "no such file: " + path);
        }
        if (Files.isDirectory(p)) {
            throw new CliException(ExitCode.NOT_A_FILE, path + " is a directory, not a file");
        }
        if (!Files.isRegularFile(p, new LinkOption[0])) {
            throw new CliException(ExitCode.NOT_A_FILE, path + " is not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw new CliException(ExitCode.PERMISSION, "cannot read " + path + ": permission denied");
        }
        return p;
    }

    /** Checks that {@code path} is a directory we can read, with a clear error if not. */
    static Path requireFolder(Path path) {
        Path p = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new CliException(Files.exists(p) ? ExitCode.NOT_A_FILE : ExitCode.NO_SUCH_FILE,
                    "no such directory: " + path);
        }
        if (!Files.isReadable(p) || !Files.isExecutable(p)) {
            throw new CliException(ExitCode.PERMISSION, "cannot read the directory " + path + ": permission denied");
        }
        return p;
    }
}
