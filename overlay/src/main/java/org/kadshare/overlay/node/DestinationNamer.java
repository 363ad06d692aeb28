package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import org.kadshare.storage.Manifest;

/**
 * Decides where a {@link NodeGet} writes once the content's manifests are known: {@link #name} is
 * called once, with the manifest {@link org.kadshare.storage.ManifestChoice} chose (empty if none).
 */
interface DestinationNamer {
    /** What makes the target unusable before any network work, or null. */
    String problem();

    /** The path to write to. */
    Path name(Optional<Manifest> chosen) throws IOException;

    /** A namer that always answers {@code file}, which must not exist unless {@code overwrite}. */
    static DestinationNamer fixed(Path file, boolean overwrite) {
        Path destination = file.toAbsolutePath();
        return new DestinationNamer() {
            @Override
            public String problem() {
                if (!overwrite && Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
                    return destination + " exists and overwriting was not asked for";
                }
                if (Files.isDirectory(destination)) {
                    return destination + " is a directory";
                }
                return directoryProblem(destination.getParent());
            }

            @Override
            public Path name(Optional<Manifest> chosen) {
                return destination;
            }
        };
    }

    /** What keeps a file from being written in {@code directory}, or null. */
    static String directoryProblem(Path directory) {
        if (directory == null || !Files.isDirectory(directory)) {
            return "the directory " + directory + " does not exist";
        }
        if (!Files.isWritable(directory)) {
            return "cannot write in " + directory;
        }
        return null;
    }
}
