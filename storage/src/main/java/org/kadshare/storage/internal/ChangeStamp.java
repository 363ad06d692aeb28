package org.kadshare.storage.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link FileSnapshot} plus the file's status-change time (ctime), taken in one call. Unlike the
 * last-modified time, ctime cannot be set back by a user: every write, truncation, rename or
 * {@code touch} moves it forward, so an equal stamp means the file was not changed in between
 * unless the change fell in the same tick of the file system's clock as the stamp's ctime (see
 * {@link LeafTrust} for how that case is excluded). Where the platform has no ctime,
 * {@link #changed()} is {@link Instant#MAX}, which no trust accepts.
 *
 * @param snapshot size, last-modified time and file key
 * @param changed the status-change time, or {@link Instant#MAX} if unknown
 */
public record ChangeStamp(FileSnapshot snapshot, Instant changed) {
    private static final String UNIX_ATTRIBUTES = "unix:size,lastModifiedTime,fileKey,ctime,isRegularFile";

    /** Validates the fields. */
    public ChangeStamp {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(changed, "changed");
    }

    /** Takes the stamp of {@code file} now (following symbolic links). */
    public static ChangeStamp of(Path file) throws IOException {
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(file, UNIX_ATTRIBUTES);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return new ChangeStamp(FileSnapshot.of(file), Instant.MAX);
        }
        if (!Boolean.TRUE.equals(attrs.get("isRegularFile"))) {
            throw new IOException(file + " is not a regular file");
        }
        Object key = attrs.get("fileKey");
        FileSnapshot snapshot = new FileSnapshot((Long) attrs.get("size"),
                ((FileTime) attrs.get("lastModifiedTime")).toInstant(), key == null ? "" : key.toString());
        return new ChangeStamp(snapshot, ((FileTime) attrs.get("ctime")).toInstant());
    }
}
