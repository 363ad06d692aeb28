package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.FreeName;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.SafeName;

/**
 * Names the file a {@link GetTarget} asks for: its exact path, or inside its directory the chosen
 * manifest's name made safe and numbered if taken; without a manifest, the content ID in hex.
 */
final class TargetNamer implements DestinationNamer {
    private final GetTarget target;
    private final ContentId id;
    private final DestinationNamer exact;

    TargetNamer(GetTarget target, ContentId id, boolean overwrite) {
        this.target = target;
        this.id = id;
        this.exact = DestinationNamer.fixed(target.path(), overwrite);
    }

    @Override
    public String problem() {
        return target.inside() ? DestinationNamer.directoryProblem(target.path()) : exact.problem();
    }

    @Override
    public Path name(Optional<Manifest> chosen) throws IOException {
        if (!target.inside()) {
            return target.path();
        }
        return FreeName.in(target.path(), safeName(chosen, id));
    }

    /** The chosen manifest's name made safe, or the ID in hex. */
    static String safeName(Optional<Manifest> chosen, ContentId id) {
        return SafeName.of(chosen.map(Manifest::name).orElse(null), id.toHex());
    }
}
