package org.kadshare.storage.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import org.kadshare.storage.StorageFullException;

/** Turns the file system's "no space" errors into {@link StorageFullException}. */
public final class DiskErrors {
    private DiskErrors() {
    }

    /**
     * Returns {@code e} itself unless it (or a cause) reports a full disk or exhausted quota, in
     * which case a {@link StorageFullException} saying {@code action} is returned.
     */
    public static IOException classify(IOException e, String action) {
        if (e instanceof StorageFullException) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (isNoSpace(t.getMessage())
                    || (t instanceof FileSystemException fse && isNoSpace(fse.getReason()))) {
                return new StorageFullException(action + ": no space left on device", e);
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
