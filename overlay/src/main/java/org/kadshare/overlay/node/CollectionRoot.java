package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.FreeName;
import org.kadshare.storage.Manifest;

/**
 * Where a collection's tree goes: the target's exact path, or inside the target directory under
 * the collection's name made safe. A directory of that name already there is taken as an earlier
 * run of the same get and resumed into (files already complete are kept); anything else of that
 * name makes the name numbered.
 */
final class CollectionRoot {
    private CollectionRoot() {
    }

    static Path of(GetTarget target, Manifest collection, ContentId id) throws IOException {
        if (!target.inside()) {
            return target.path();
        }
        String name = TargetNamer.safeName(java.util.Optional.of(collection), id);
        Path p = target.path().resolve(name);
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return p;
        }
        return FreeName.in(target.path(), name);
    }
}
