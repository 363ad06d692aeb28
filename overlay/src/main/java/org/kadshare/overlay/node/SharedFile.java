package org.kadshare.overlay.node;

import org.kadshare.storage.StoredFile;

/** A file this node shares, with the name from its manifest. */
public record SharedFile(StoredFile stored, String name, String mediaType) {
}
