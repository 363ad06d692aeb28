package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.Path;

/** The store's one use of the content hasher: stream a file, feeding its leaf hashes to a sink. */
@FunctionalInterface
interface ContentHashing {
    /** Hashes {@code file}, giving each leaf hash to {@code sink} in order. */
    ContentDigest hash(Path file, LeafHashSink sink) throws IOException;
}
