package org.kadshare.overlay.node;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where a {@code get} writes: exactly at {@code path} (a file, or the root of a collection's
 * tree), or {@code inside} the directory {@code path} under the name the content's manifests give
 * it, made safe ({@link org.kadshare.storage.SafeName}) and numbered if taken
 * ({@link org.kadshare.storage.FreeName}). For a collection, {@code only} lists glob patterns: just
 * the files whose path (or, for a pattern without {@code /}, whose name) matches one are fetched;
 * empty means every file.
 */
public record GetTarget(Path path, boolean inside, List<String> only) {
    /** Rejects a missing path; copies the patterns. */
    public GetTarget {
        Objects.requireNonNull(path, "path");
        only = List.copyOf(only);
    }

    /** Exactly at {@code file}. */
    public static GetTarget file(Path file) {
        return new GetTarget(file.toAbsolutePath(), false, List.of());
    }

    /** Inside {@code directory}, under the manifests' name. */
    public static GetTarget into(Path directory) {
        return new GetTarget(directory.toAbsolutePath(), true, List.of());
    }

    /** This target fetching only the collection files that match one of {@code patterns}. */
    public GetTarget withOnly(List<String> patterns) {
        return new GetTarget(path, inside, patterns);
    }
}
