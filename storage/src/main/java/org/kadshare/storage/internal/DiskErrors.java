package org.kadshare.storage.internal;

import java.io.IOException;
import java.nio.file.Path;
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
        return StorageFullException.ifNoSpace(e, action, null);
    }

    /** As {@link #classify(IOException, String)}, naming {@code path} as the file being written. */
    public static IOException classify(IOException e, String action, Path path) {
        return StorageFullException.ifNoSpace(e, action, path);
    }
}
