package org.kadshare.overlay.node;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.function.Predicate;
import org.kadshare.storage.CollectionEntry;

/**
 * Which paths of a collection {@code get --only} fetches: glob patterns as
 * {@link java.nio.file.FileSystem#getPathMatcher} reads them ({@code *} within a component,
 * {@code **} across, {@code ?}, {@code [..]}, <code>{a,b}</code>), matched against the whole
 * relative path; a pattern without {@code /} also matches a file's name alone, so
 * {@code *.txt} picks text files at any depth. No pattern selects everything.
 */
final class FileSelection {
    private final List<PathMatcher> matchers;
    private final List<Boolean> nameOnly;

    private FileSelection(List<String> patterns) {
        try {
            this.matchers = patterns.stream()
                    .map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad --only pattern: " + e.getMessage(), e);
        }
        this.nameOnly = patterns.stream().map(p -> !p.contains("/")).toList();
    }

    static FileSelection of(List<String> patterns) {
        return new FileSelection(patterns);
    }

    boolean selectsAll() {
        return matchers.isEmpty();
    }

    /** Whether the collection path {@code relative} is selected. */
    boolean matches(String relative) {
        if (matchers.isEmpty()) {
            return true;
        }
        Path path = Path.of("", relative.split("/"));
        for (int i = 0; i < matchers.size(); i++) {
            if (matchers.get(i).matches(path) || (nameOnly.get(i) && matchers.get(i).matches(path.getFileName()))) {
                return true;
            }
        }
        return false;
    }

    List<CollectionEntry> files(List<CollectionEntry> all) {
        return all.stream().filter(e -> matches(e.path())).toList();
    }

    List<String> directories(List<String> all) {
        Predicate<String> m = this::matches;
        return all.stream().filter(m).toList();
    }
}
