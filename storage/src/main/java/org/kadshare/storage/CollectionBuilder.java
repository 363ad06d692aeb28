package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Shares a folder as a collection through a {@link Sharer} (the running node's put, or the offline
 * store-and-sign of {@code node put}): every regular file {@link FolderScan} finds is shared on
 * its own under its file name, then the collection document listing them, written to a temporary
 * file in {@code scratch} and shared (copied into the store) under the folder's name with the
 * media type {@link Collection#MEDIA_TYPE}.
 */
public final class CollectionBuilder {
    /** Shares one file; {@code name} and {@code mediaType} null mean "from the file". */
    @FunctionalInterface
    public interface Sharer {
        Shared share(Path file, String name, String mediaType, boolean copy) throws IOException;
    }

    /** A shared file: its stored form and its manifest. */
    public record Shared(StoredFile stored, Manifest manifest) {
    }

    private CollectionBuilder() {
    }

    /**
     * Shares {@code folder}; returns the collection document as shared.
     *
     * @param name the collection's name, or null for the folder's name
     * @param copy whether the files are copied into the store instead of referenced
     * @throws IllegalArgumentException if the folder cannot be a collection, naming why
     */
    public static Shared share(Path folder, String name, boolean copy, Path scratch, Sharer sharer)
            throws IOException {
        FolderScan.Result scan = FolderScan.scan(folder);
        List<CollectionEntry> entries = new ArrayList<>();
        for (FolderScan.File f : scan.files()) {
            Shared s = sharer.share(f.source(), null, null, copy);
            entries.add(new CollectionEntry(f.path(), s.stored().lengthBytes(), s.manifest().mediaType(),
                    s.stored().id()));
        }
        byte[] document = CollectionCodec.encode(Collection.of(entries, scan.emptyDirectories()));
        Files.createDirectories(scratch);
        Path temp = Files.createTempFile(scratch, ".put-", ".collection");
        try {
            Files.write(temp, document);
            String collectionName = name != null ? name
                    : folder.toAbsolutePath().normalize().getFileName().toString();
            return sharer.share(temp, collectionName, Collection.MEDIA_TYPE, true);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
