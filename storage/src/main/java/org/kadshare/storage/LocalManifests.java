package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.kadshare.storage.internal.AtomicFiles;
import org.kadshare.storage.internal.WriteFaults;

/**
 * The signed manifests a node holds on disk: the ones it published and, later, the ones it
 * fetched. One file per (content ID, publisher key), in the canonical encoding of
 * {@link ManifestCodec}, written atomically. Every load decodes and verifies the signature, and
 * checks that the manifest belongs to the content ID it is filed under, so a manifest tampered
 * with on disk is reported ({@link ManifestException}) and never shown or served.
 *
 * <p>Layout: {@code <dir>/<content-id-hex>/<publisher-key-hex>.manifest}.
 */
public final class LocalManifests {
    private static final String SUFFIX = ".manifest";
    private static final HexFormat HEX = HexFormat.of();

    private final Path directory;

    private LocalManifests(Path directory) {
        this.directory = directory;
    }

    /** The manifests kept under {@code directory} (created on first save). */
    public static LocalManifests open(Path directory) {
        return new LocalManifests(Objects.requireNonNull(directory, "directory"));
    }

    /** Stores {@code manifest}, replacing an earlier one by the same publisher for the same content. */
    public void save(Manifest manifest) throws IOException {
        if (!manifest.verifySignature()) {
            throw new IllegalArgumentException("refusing to store a manifest whose signature does not verify: "
                    + manifest);
        }
        Path file = fileOf(manifest.id(), manifest.publisherKey());
        Files.createDirectories(file.getParent());
        AtomicFiles.write(file, ManifestCodec.encode(manifest), WriteFaults.NONE);
    }

    /**
     * Every manifest held for {@code id}, verified, in publisher-key order; empty if none.
     *
     * @throws ManifestException naming the file, if any stored manifest fails decoding or
     *                           verification or is filed under another content ID or key
     */
    public List<Manifest> load(ContentId id) throws IOException, ManifestException {
        Path dir = directory.resolve(id.toHex());
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            stream.forEach(files::add);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        files.sort(null);
        List<Manifest> manifests = new ArrayList<>(files.size());
        for (Path file : files) {
            manifests.add(read(id, file));
        }
        return manifests;
    }

    /** The content IDs that have at least one manifest filed, ordered; other directory names are skipped. */
    public List<ContentId> ids() throws IOException {
        List<ContentId> ids = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, Files::isDirectory)) {
            for (Path dir : stream) {
                try {
                    ids.add(ContentId.parse(dir.getFileName().toString()));
                } catch (IllegalArgumentException e) {
                    continue;
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        ids.sort(null);
        return ids;
    }

    /** Forgets every manifest held for {@code id}; true if there were any. */
    public boolean remove(ContentId id) throws IOException {
        Path dir = directory.resolve(id.toHex());
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path file : stream) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
        return true;
    }

    private Manifest read(ContentId id, Path file) throws IOException, ManifestException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length > ManifestCodec.MAX_ENCODED_BYTES) {
            throw new ManifestException(file + ": " + bytes.length + " bytes, more than a manifest can be");
        }
        Manifest manifest;
        try {
            manifest = ManifestCodec.decode(bytes);
        } catch (ManifestException e) {
            throw new ManifestException(file + ": " + e.getMessage());
        }
        if (!manifest.id().equals(id) || !file.equals(fileOf(id, manifest.publisherKey()))) {
            throw new ManifestException(file + ": manifest for " + manifest.id() + " by "
                    + HEX.formatHex(manifest.publisherKey()) + " is filed under another name");
        }
        return manifest;
    }

    private Path fileOf(ContentId id, byte[] publisherKey) {
        return directory.resolve(id.toHex()).resolve(HEX.formatHex(publisherKey) + SUFFIX);
    }
}
