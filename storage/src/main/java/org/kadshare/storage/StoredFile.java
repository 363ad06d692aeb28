package org.kadshare.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A complete file the store holds.
 *
 * @param id the content ID of its bytes
 * @param lengthBytes its length
 * @param mode how it was added
 * @param origin the path it was added from (or, for a finished download, its destination)
 * @param dataPath the path its bytes are served from: {@code origin} for
 *     {@link AddMode#REFERENCE}, the store's own copy for {@link AddMode#COPY}
 * @param stale true once the file was found changed; a stale file is never served
 */
public record StoredFile(ContentId id, long lengthBytes, AddMode mode, Path origin, Path dataPath, boolean stale) {
    /** Validates the fields. */
    public StoredFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(dataPath, "dataPath");
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("content length is negative: " + lengthBytes);
        }
    }
}
