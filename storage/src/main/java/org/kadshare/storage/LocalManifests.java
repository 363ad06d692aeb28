package org.kadshare.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * <p>Beside them, the user tags this node files its own manifest of a content under
 * ({@link Keywords#tags}), so they are published again after a restart: one normalised word per
 * line, UTF-8. Data kept before tags existed has no such file and loads with no tags.
 *
 * <p>Layout: {@code <dir>/<content-id-hex>/<publisher-key-hex>.manifest} and
 * {@code <dir>/<content-id-hex>/tags}.
 */
public final class LocalManifests {
    private static final String SUFFIX = ".manifest";
    private static final String TAGS = "tags";
    /** Longest tags file read: the most tag words, each of the longest UTF-8 length, with newlines. */
    private static final int MAX_TAGS_BYTES = Keywords.MAX_WORDS * (Keywords.MAX_WORD_CODE_POINTS * 4 + 1);
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

    /**
     * Keeps {@code words} as the tags of {@code id} (replacing earlier ones); no words removes
     * them.
     *
     * @throws IllegalArgumentException if they are not normalised, distinct tag words, at most
     *     {@link Keywords#MAX_WORDS}
     */
    public void saveTags(ContentId id, List<String> words) throws IOException {
        if (!Keywords.tags(words).equals(words)) {
            throw new IllegalArgumentException("tags must be distinct normalised words, got " + words);
        }
        Path file = directory.resolve(id.toHex()).resolve(TAGS);
        if (words.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        Files.createDirectories(file.getParent());
        byte[] lines = (String.join("\n", words) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, lines, WriteFaults.NONE);
    }

    /**
     * The tags kept for {@code id}, in the order saved; empty if none (also for data kept before
     * tags existed).
     *
     * @throws ManifestException naming the file, if it is too long or holds a line that is not a
     *     tag word
     */
    public List<String> tags(ContentId id) throws IOException, ManifestException {
        Path file = directory.resolve(id.toHex()).resolve(TAGS);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (bytes.length > MAX_TAGS_BYTES) {
            throw new ManifestException(file + ": " + bytes.length + " bytes, more than " + Keywords.MAX_WORDS
                    + " tags can be");
        }
        List<String> words = new String(bytes, StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty()).toList();
        try {
            if (Keywords.tags(words).equals(words)) {
                return words;
            }
        } catch (IllegalArgumentException e) {
            throw new ManifestException(file + ": " + e.getMessage());
        }
        throw new ManifestException(file + ": not one distinct normalised tag word per line");
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
