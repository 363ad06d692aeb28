package org.kadshare.storage;

/**
 * One file of a {@link Collection}: where it goes in the tree, how long it is, its media type and
 * its content ID (by which it is fetched, in its own swarm).
 *
 * @param path        the relative path, checked by {@link CollectionPath#check}
 * @param lengthBytes the file's length, at least 0
 * @param mediaType   the file's media type, as in a manifest
 * @param id          the file's content ID
 */
public record CollectionEntry(String path, long lengthBytes, String mediaType, ContentId id) {
    /** Validates every field. */
    public CollectionEntry {
        CollectionPath.check(path);
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("collection entry " + path + " has the negative length " + lengthBytes);
        }
        if (mediaType == null || mediaType.isEmpty() || mediaType.length() > Manifest.MAX_MEDIA_TYPE_BYTES
                || !mediaType.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("collection entry " + path + " has an invalid media type");
        }
        if (id == null) {
            throw new IllegalArgumentException("collection entry " + path + " has no content ID");
        }
    }
}
