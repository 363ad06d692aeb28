package org.kadshare.overlay.node;

import java.io.IOException;
import org.kadshare.storage.Collection;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestChoice;
import org.kadshare.storage.ManifestException;
import org.kadshare.storage.MediaTypes;
import org.kadshare.storage.StoredFile;
import org.slf4j.LoggerFactory;

/** A file this node shares, with the name from its manifests. */
public record SharedFile(StoredFile stored, String name, String mediaType) {
    /** Whether it is a collection's document (a shared folder). */
    public boolean collection() {
        return Collection.MEDIA_TYPE.equals(mediaType);
    }

    /**
     * {@code stored} named by its kept manifests as {@link ManifestChoice} chooses (with
     * {@code ownKey} as this node's publisher key); without a readable one, by its file's name.
     */
    public static SharedFile named(StoredFile stored, LocalManifests manifests, byte[] ownKey) {
        Manifest chosen = null;
        try {
            chosen = ManifestChoice.choose(manifests.load(stored.id()), ownKey).orElse(null);
        } catch (IOException | ManifestException e) {
            LoggerFactory.getLogger(SharedFile.class).warn("cannot read the manifests of {}: {}", stored.id(),
                    e.getMessage());
        }
        String name = chosen != null ? chosen.name() : stored.origin().getFileName().toString();
        return new SharedFile(stored, name, chosen != null ? chosen.mediaType() : MediaTypes.guess(name));
    }
}
