package org.kadshare.overlay.node;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.kadshare.storage.Keywords;

/**
 * How to share a file: copy it into the store or reference it; manifest name and type overrides;
 * user tags the file (for a folder, the collection) is filed under besides its name's words.
 *
 * @param tags normalised tag words ({@link Keywords#tags}), kept with the share and published again
 *     after a restart
 */
public record PutOptions(boolean copy, Optional<String> name, Optional<String> mediaType, List<String> tags) {
    /** Rejects null optionals and tags that are not normalised, distinct and within the cap. */
    public PutOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        tags = List.copyOf(tags);
        if (!Keywords.tags(tags).equals(tags)) {
            throw new IllegalArgumentException("tags must be distinct normalised words (Keywords.tags), got " + tags);
        }
    }

    /** No tags. */
    public PutOptions(boolean copy, Optional<String> name, Optional<String> mediaType) {
        this(copy, name, mediaType, List.of());
    }

    /** Reference the file in place; name from the file, media type guessed from the name. */
    public static PutOptions defaults() {
        return new PutOptions(false, Optional.empty(), Optional.empty());
    }

    /** These options with the tags {@code rawTags} normalised ({@link Keywords#tags}, which names a refused tag). */
    public PutOptions withTags(List<String> rawTags) {
        return new PutOptions(copy, name, mediaType, Keywords.tags(rawTags));
    }
}
