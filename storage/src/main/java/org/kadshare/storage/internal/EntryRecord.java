package org.kadshare.storage.internal;

import java.nio.file.Path;
import java.util.Objects;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.ContentId;

/**
 * What the store persists about one complete file: its ID and length, how it was added, the path
 * it was added from, the path its bytes are served from (the same path for
 * {@link AddMode#REFERENCE}, the store's own copy for {@link AddMode#COPY}), a snapshot of that
 * served file, and whether it has been found changed.
 */
public record EntryRecord(ContentId id, long lengthBytes, AddMode mode, Path origin, Path dataPath,
        FileSnapshot snapshot, boolean stale) {
    /** Validates the fields. */
    public EntryRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(dataPath, "dataPath");
        Objects.requireNonNull(snapshot, "snapshot");
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("content length is negative: " + lengthBytes);
        }
    }

    /** This record marked stale. */
    public EntryRecord asStale() {
        return new EntryRecord(id, lengthBytes, mode, origin, dataPath, snapshot, true);
    }
}
