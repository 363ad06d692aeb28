package org.kadshare.storage;

import java.io.IOException;

/**
 * The store's file system ran out of space (or quota) while writing. Whatever was being written
 * has been abandoned: temporary files are deleted, persisted records still describe only data
 * that is on disk, and no destination file has appeared. Freeing space and retrying is safe.
 */
public final class StorageFullException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Says what was being written, keeping the file system's own error as the cause. */
    public StorageFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
