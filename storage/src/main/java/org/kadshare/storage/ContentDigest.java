package org.kadshare.storage;

import java.util.Objects;

/**
 * What streaming a file through {@link ContentHasher#hash(java.nio.file.Path, LeafHashSink)}
 * yields besides the leaf layer: the content ID and the number of bytes it covers.
 *
 * @param id          the content ID of the bytes hashed
 * @param lengthBytes how many bytes were hashed (the file's size when it was opened)
 */
public record ContentDigest(ContentId id, long lengthBytes) {
    public ContentDigest {
        Objects.requireNonNull(id, "id");
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("a content length is never negative, got " + lengthBytes);
        }
    }
}
