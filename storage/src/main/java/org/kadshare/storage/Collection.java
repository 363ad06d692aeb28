package org.kadshare.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A shared folder: every file's relative path, length, media type and content ID, and the empty
 * directories, so the whole tree can be recreated. Its wire form ({@link CollectionCodec}) is
 * shared as content like any file, so a collection has one content ID, and a manifest with the
 * media type {@link #MEDIA_TYPE} names it (see {@code docs/PROTOCOL.md}, "Collections").
 *
 * <p>The constructor enforces the tree's consistency: at most {@link #MAX_ENTRIES} entries, paths
 * by {@link CollectionPath}'s rules, sorted by their UTF-8 bytes and unique, no file where another
 * entry needs a directory, and an empty directory really empty.
 *
 * @param files       the files, sorted by path
 * @param emptyDirectories the directories with nothing in them, sorted
 */
public record Collection(List<CollectionEntry> files, List<String> emptyDirectories) {
    /** The media type of a collection's manifest. */
    public static final String MEDIA_TYPE = "application/x-kadshare-collection";
    /** Most entries (files plus empty directories) in one collection. */
    public static final int MAX_ENTRIES = 10_000;

    static final Comparator<String> PATH_ORDER = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    /** Validates and copies. */
    public Collection {
        files = List.copyOf(files);
        emptyDirectories = List.copyOf(emptyDirectories);
        if (files.size() + emptyDirectories.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a collection holds at most " + MAX_ENTRIES
                    + " files and empty directories, got " + (files.size() + emptyDirectories.size()));
        }
        List<String> filePaths = files.stream().map(CollectionEntry::path).toList();
        sortedAndUnique(filePaths, "file");
        emptyDirectories.forEach(CollectionPath::check);
        sortedAndUnique(emptyDirectories, "empty directory");
        Set<String> parents = new HashSet<>();
        filePaths.forEach(p -> addParents(p, parents));
        emptyDirectories.forEach(p -> addParents(p, parents));
        Set<String> fileSet = new HashSet<>(filePaths);
        for (String p : filePaths) {
            if (parents.contains(p)) {
                throw new IllegalArgumentException("collection path " + CollectionPath.quote(p)
                        + " is a file and a directory of other entries");
            }
        }
        for (String d : emptyDirectories) {
            if (fileSet.contains(d)) {
                throw new IllegalArgumentException("collection path " + CollectionPath.quote(d)
                        + " is listed as a file and as an empty directory");
            }
            if (parents.contains(d)) {
                throw new IllegalArgumentException("collection directory " + CollectionPath.quote(d)
                        + " is listed as empty but holds other entries");
            }
        }
    }

    /** The sum of the files' lengths. */
    public long totalBytes() {
        return files.stream().mapToLong(CollectionEntry::lengthBytes).sum();
    }

    private static void sortedAndUnique(List<String> paths, String what) {
        for (int i = 1; i < paths.size(); i++) {
            int c = PATH_ORDER.compare(paths.get(i - 1), paths.get(i));
            if (c == 0) {
                throw new IllegalArgumentException("collection " + what + " " + CollectionPath.quote(paths.get(i))
                        + " is listed twice");
            }
            if (c > 0) {
                throw new IllegalArgumentException("collection " + what + " paths are not sorted: "
                        + CollectionPath.quote(paths.get(i - 1)) + " before " + CollectionPath.quote(paths.get(i)));
            }
        }
    }

    private static void addParents(String path, Set<String> parents) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            parents.add(path.substring(0, slash));
        }
    }

    /** A collection of these entries, sorted first. */
    public static Collection of(List<CollectionEntry> files, List<String> emptyDirectories) {
        List<CollectionEntry> f = new ArrayList<>(files);
        f.sort(Comparator.comparing(CollectionEntry::path, PATH_ORDER));
        List<String> d = new ArrayList<>(emptyDirectories);
        d.sort(PATH_ORDER);
        return new Collection(f, d);
    }
}
