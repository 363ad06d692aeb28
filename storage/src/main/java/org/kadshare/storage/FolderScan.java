package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Walks a folder about to be shared as a {@link Collection}: its regular files and its empty
 * directories, each with the relative path it gets in the collection (components in NFC form,
 * joined by {@code /}). Symbolic links and special files are not followed and not shared; they are
 * listed in {@link Result#skipped()}. Directories are read in name order, so a scan is
 * deterministic.
 *
 * <p>Refused with an {@link IllegalArgumentException} naming the file: a name a collection path
 * may not hold (a control character, a backslash, too long), two names that are the same after
 * NFC normalisation, and more than {@link Collection#MAX_ENTRIES} entries (the walk stops there,
 * before anything is hashed).
 */
public final class FolderScan {
    /** A file to share and its path in the collection. */
    public record File(String path, Path source) {
    }

    /** What a scan found. */
    public record Result(List<File> files, List<String> emptyDirectories, List<Path> skipped) {
        public Result {
            files = List.copyOf(files);
            emptyDirectories = List.copyOf(emptyDirectories);
            skipped = List.copyOf(skipped);
        }
    }

    private final Path root;
    private final int maxEntries;
    private final List<File> files = new ArrayList<>();
    private final List<String> emptyDirectories = new ArrayList<>();
    private final List<Path> skipped = new ArrayList<>();

    private FolderScan(Path root, int maxEntries) {
        this.root = root;
        this.maxEntries = maxEntries;
    }

    /** Scans {@code folder}, allowing at most {@link Collection#MAX_ENTRIES} entries. */
    public static Result scan(Path folder) throws IOException {
        return scan(folder, Collection.MAX_ENTRIES);
    }

    static Result scan(Path folder, int maxEntries) throws IOException {
        FolderScan s = new FolderScan(folder.toAbsolutePath().normalize(), maxEntries);
        s.walk(s.root, "", 0);
        return new Result(s.files, s.emptyDirectories, s.skipped);
    }

    private void walk(Path dir, String prefix, int depth) throws IOException {
        if (depth >= CollectionPath.MAX_DEPTH) {
            throw new IllegalArgumentException(dir + " is nested deeper than " + CollectionPath.MAX_DEPTH
                    + " directories, more than a collection holds");
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        }
        children.sort(null);
        Map<String, Path> seen = new HashMap<>();
        boolean empty = true;
        for (Path child : children) {
            String name = Normalizer.normalize(child.getFileName().toString(), Normalizer.Form.NFC);
            Path twin = seen.putIfAbsent(name, child);
            if (twin != null) {
                throw new IllegalArgumentException(twin + " and " + child + " have the same name after Unicode"
                        + " normalisation; rename one to share the folder");
            }
            String path = prefix + name;
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                checkPath(path, child);
                walk(child, path + "/", depth + 1);
                empty = false;
            } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)) {
                checkPath(path, child);
                count(child);
                files.add(new File(path, child));
                empty = false;
            } else {
                skipped.add(child);
            }
        }
        if (empty && !prefix.isEmpty()) {
            count(dir);
            emptyDirectories.add(prefix.substring(0, prefix.length() - 1));
        }
    }

    private void count(Path at) {
        if (files.size() + emptyDirectories.size() >= maxEntries) {
            throw new IllegalArgumentException(root + " holds more than " + maxEntries
                    + " files and empty directories (stopped at " + at + "); a collection holds at most "
                    + maxEntries + ": share its sub-folders separately");
        }
    }

    private static void checkPath(String path, Path file) {
        String problem = CollectionPath.problem(path);
        if (problem != null) {
            throw new IllegalArgumentException("cannot share " + CollectionPath.quote(file.toString())
                    + ": its path in the collection " + problem + "; rename it");
        }
    }
}
