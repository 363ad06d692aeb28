package org.kadshare.overlay.node;

import java.nio.file.Path;
import java.util.List;
import org.kadshare.storage.ContentId;

/**
 * What {@code node refresh} did to the files this node shares: each one found changed on disk is
 * hashed again and shared under its new ID, each one gone from disk is withdrawn and forgotten,
 * the others are left as they were.
 *
 * @param rehashed  files hashed again and published again (a new ID unless only the file's times
 *                  changed)
 * @param withdrawn files no longer on disk: no longer announced, removed from the share list
 * @param failed    files that could not be hashed again (still stale, still not served), with why
 * @param unchanged how many shared files showed no change
 */
public record RefreshReport(List<Rehashed> rehashed, List<Withdrawn> withdrawn, List<Failed> failed, int unchanged) {
    /** Copies the lists. */
    public RefreshReport {
        rehashed = List.copyOf(rehashed);
        withdrawn = List.copyOf(withdrawn);
        failed = List.copyOf(failed);
        if (unchanged < 0) {
            throw new IllegalArgumentException("unchanged must not be negative, got " + unchanged);
        }
    }

    /** A changed file, shared again as {@code newId}. */
    public record Rehashed(ContentId oldId, ContentId newId, String name, Path path, long lengthBytes) {}

    /** A file gone from {@code path}, no longer shared. */
    public record Withdrawn(ContentId id, String name, Path path) {}

    /** A changed file that could not be hashed again. */
    public record Failed(ContentId id, String name, Path path, String reason) {}
}
