package org.kadshare.overlay.node;

import java.util.Optional;

/** How to share a file: copy it into the store or reference it; manifest name and type overrides. */
public record PutOptions(boolean copy, Optional<String> name, Optional<String> mediaType) {
}
