package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.kadshare.overlay.node.GetFailedException.Reason;
import org.kadshare.storage.CollectionPath;

/**
 * Turns a collection's relative paths into paths under the tree's root, creating the directories
 * on the way. Every path is checked against {@link CollectionPath}'s rules again, must stay under
 * the root, and never goes through a symbolic link (one planted in the destination could point
 * anywhere), so nothing a collection says can write outside its root.
 */
final class TreePaths {
    private TreePaths() {
    }

    /** Creates the root (and its missing parents' last level) unless it is a directory already. */
    static void root(Path root) throws IOException {
        ensureDirectory(root);
    }

    /** The path of file {@code relative} under {@code root}, its parent directories created. */
    static Path file(Path root, String relative) throws IOException {
        String[] parts = components(relative);
        Path p = root;
        for (int i = 0; i < parts.length - 1; i++) {
            p = p.resolve(parts[i]);
            ensureDirectory(p);
        }
        Path file = p.resolve(parts[parts.length - 1]);
        if (Files.isSymbolicLink(file)) {
            throw refused(file + " is a symbolic link; a collection's file is never written through one");
        }
        return inside(root, file);
    }

    /** Creates directory {@code relative} under {@code root} with its parents. */
    static Path directory(Path root, String relative) throws IOException {
        Path p = root;
        for (String part : components(relative)) {
            p = p.resolve(part);
            ensureDirectory(p);
        }
        return inside(root, p);
    }

    private static String[] components(String relative) throws GetFailedException {
        String problem = CollectionPath.problem(relative);
        if (problem != null) {
            throw new GetFailedException(Reason.VERIFICATION, "refusing the collection path " + relative
                    + ": it " + problem, null);
        }
        return relative.split("/");
    }

    private static Path inside(Path root, Path p) throws GetFailedException {
        if (!p.normalize().startsWith(root.normalize()) || p.normalize().equals(root.normalize())) {
            throw new GetFailedException(Reason.VERIFICATION, "refusing " + p + ": it is not inside " + root, null);
        }
        return p;
    }

    private static void ensureDirectory(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            throw refused(p + " is a symbolic link; a collection's tree is never written through one");
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(p + " exists and is not a directory");
        }
        Files.createDirectory(p);
    }

    private static GetFailedException refused(String message) {
        return new GetFailedException(Reason.DESTINATION, message, null);
    }
}
