package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A stored file no longer holds the content it was added with: it was modified, truncated,
 * replaced or deleted behind the store's back. The entry has been marked stale and is never served
 * again; the caller should stop announcing it (or re-add the file, which gives it a new ID).
 */
public final class ContentChangedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient ContentId id;
    private final transient Path file;

    /** {@code file} is the path the content was served from; {@code what} says what was seen. */
    public ContentChangedException(ContentId id, Path file, String what) {
        super(file + " changed since it was added as " + id + ": " + what);
        this.id = id;
        this.file = file;
    }

    /** The ID the file was added under. */
    public ContentId id() {
        return id;
    }

    /** The file that changed. */
    public Path file() {
        return file;
    }
}
