package org.kadshare.cli.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code control.json} file in a data directory: how the short commands find the running
 * node. It holds a secret, so it is created owner-only (rw-------) from the first byte: written
 * to a temporary file opened with those permissions, then renamed into place.
 */
public final class ControlFile {
    /** The file name inside the data directory. */
    public static final String NAME = "control.json";
    private static final int MAX_BYTES = 4096;
    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private ControlFile() {
    }

    public static Path path(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    public static void write(Path dataDir, ControlEndpoint endpoint) throws IOException {
        Path target = path(dataDir);
        Path tmp = dataDir.resolve(NAME + ".tmp");
        Files.deleteIfExists(tmp);
        FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
        try (FileChannel ch = FileChannel.open(tmp,
                EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), ownerOnly)) {
            ByteBuffer bytes = ByteBuffer.wrap(endpoint.toJson().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The endpoint recorded in the data directory, if any; a malformed file is an error. */
    public static Optional<ControlEndpoint> read(Path dataDir) throws IOException {
        Path file = path(dataDir);
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IOException(file + " is larger than " + MAX_BYTES + " bytes; not a control file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            return Optional.of(ControlEndpoint.fromJson(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException e) {
            throw new IOException("malformed " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the file if it still names {@code endpoint} (a newer node may have replaced it). */
    public static void deleteIfOurs(Path dataDir, ControlEndpoint endpoint) {
        try {
            Optional<ControlEndpoint> current = read(dataDir);
            if (current.isPresent() && current.get().token().equals(endpoint.token())) {
                Files.deleteIfExists(path(dataDir));
            }
        } catch (IOException e) {
            // Leaving a stale file is harmless: readers check that the node answers.
            org.slf4j.LoggerFactory.getLogger(ControlFile.class).debug("could not delete {}", path(dataDir), e);
        }
    }
}
