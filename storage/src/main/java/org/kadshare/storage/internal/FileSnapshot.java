package org.kadshare.storage.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;

/**
 * What a file looked like when its content was hashed: size, last-modified time and the file
 * system's file key (device and inode on Unix; empty where the platform has none). A different
 * snapshot later means the file may have changed; an equal one proves nothing, which is why reads
 * also verify leaf hashes.
 */
public record FileSnapshot(long sizeBytes, Instant lastModified, String fileKey) {
    /** Validates the fields. */
    public FileSnapshot {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("file size is negative: " + sizeBytes);
        }
        Objects.requireNonNull(lastModified, "lastModified");
        Objects.requireNonNull(fileKey, "fileKey");
    }

    /** Takes the snapshot of {@code file} now (following symbolic links). */
    public static FileSnapshot of(Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
            throw new IOException(file + " is not a regular file");
        }
        Object key = attrs.fileKey();
        return new FileSnapshot(attrs.size(), attrs.lastModifiedTime().toInstant(), key == null ? "" : key.toString());
    }

    /** Says how {@code now} differs from this snapshot, or returns null when it does not. */
    public String differenceFrom(FileSnapshot now) {
        if (sizeBytes != now.sizeBytes) {
            return "size was " + sizeBytes + " bytes, now " + now.sizeBytes;
        }
        if (!lastModified.equals(now.lastModified)) {
            return "last-modified time was " + lastModified + ", now " + now.lastModified;
        }
        if (!fileKey.equals(now.fileKey)) {
            return "file key was " + fileKey + ", now " + now.fileKey + " (the file was replaced)";
        }
        return null;
    }
}
