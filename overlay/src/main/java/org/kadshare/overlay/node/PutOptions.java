package org.kadshare.overlay.node;

import java.util.Objects;
import java.util.Optional;

/** How to share a file: copy it into the store or reference it; manifest name and type overrides. */
public record PutOptions(boolean copy, Optional<String> name, Optional<String> mediaType) {
    /** Rejects null optionals. */
    public PutOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
    }

    /** Reference the file in place; name from the file, media type guessed from the name. */
    public static PutOptions defaults() {
        return new PutOptions(false, Optional.empty(), Optional.empty());
    }
}
