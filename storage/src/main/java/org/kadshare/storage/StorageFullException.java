package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * The store's file system ran out of space (or quota) while writing. Whatever was being written
 * has been abandoned: temporary files are deleted, persisted records still describe only data
 * that is on disk, and no destination file has appeared. Freeing space and retrying is safe.
 * {@link #path()} names the file being written, so a message can say which disk is full.
 */
public final class StorageFullException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /** Says what was being written, keeping the file system's own error as the cause. */
    public StorageFullException(String message, Throwable cause) {
        this(message, null, cause);
    }

    /** As {@link #StorageFullException(String, Throwable)}, naming the file being written (may be null). */
    public StorageFullException(String message, Path path, Throwable cause) {
        super(message, cause);
        this.path = path;
    }

    /** The file being written when the disk filled up, or null if it is not known. */
    public Path path() {
        return path;
    }

    /**
     * Returns {@code e} itself unless it (or a cause) reports a full disk or exhausted quota, in
     * which case a {@code StorageFullException} saying "disk full", {@code action} and the file
     * ({@code path}, else the one the file system named) is returned.
     */
    public static IOException ifNoSpace(IOException e, String action, Path path) {
        if (e instanceof StorageFullException) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isNoSpace(t.getMessage()) || (t instanceof FileSystemException fse && isNoSpace(fse.getReason()))) {
                Path file = path;
                if (file == null && t instanceof FileSystemException fse && fse.getFile() != null) {
                    file = Path.of(fse.getFile());
                }
                return new StorageFullException("disk full: " + action + ": no space left on device"
                        + (file == null || action.contains(file.toString()) ? "" : " (" + file + ")"), file, e);
            }
        }
        return e;
    }

    private static boolean isNoSpace(String message) {
        return message != null
                && (message.contains("No space left on device") || message.contains("Disk quota exceeded")
                        || message.contains("There is not enough space on the disk"));
    }
}
