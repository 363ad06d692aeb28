package org.kadshare.storage.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Makes a finished file appear at its destination in one step, so nobody ever sees a half file
 * there.
 *
 * <p>Same file system: without overwrite, a hard link to the destination (which fails atomically
 * if it exists) followed by unlinking the source; with overwrite, an atomic rename. Where links
 * are not supported the destination is checked and then renamed over atomically (a narrow race
 * with a file created in between). Another file system: the bytes are copied to a temporary file
 * in the destination's directory, forced to disk, and that is published the same way; on any
 * failure the temporary is deleted.
 */
public final class Publisher {
    private static final int COPY_BUFFER_BYTES = 1 << 20;

    private Publisher() {
    }

    /**
     * Moves {@code source} to {@code destination}.
     *
     * @throws FileAlreadyExistsException if the destination exists and {@code overwrite} is false
     */
    public static void publish(Path source, Path destination, boolean overwrite, WriteFaults faults)
            throws IOException {
        try {
            publishSameFileSystem(source, destination, overwrite);
            return;
        } catch (AtomicMoveNotSupportedException e) {
            // different file systems: copy next to the destination first
        }
        Path temp = AtomicFiles.tempBeside(destination);
        try {
            copyAndForce(source, temp, faults);
            publishSameFileSystem(temp, destination, overwrite);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw DiskErrors.classify(e, "copying " + source + " to " + destination, destination);
        }
        Files.delete(source);
    }

    /** Copies {@code source} to the new file {@code target}, forcing it to disk. */
    public static void copyAndForce(Path source, Path target, WriteFaults faults) throws IOException {
        try (InputStream in = Files.newInputStream(source);
                FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] buffer = new byte[COPY_BUFFER_BYTES];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                faults.beforeWrite(target, n);
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
            out.force(true);
        }
    }

    private static void publishSameFileSystem(Path source, Path destination, boolean overwrite) throws IOException {
        if (overwrite) {
            moveAtomically(source, destination);
            return;
        }
        try {
            Files.createLink(destination, source);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(destination.toString(), null,
                    "destination exists and overwriting was not asked for");
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(destination, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(destination.toString(), null,
                        "destination exists and overwriting was not asked for");
            }
            moveAtomically(source, destination);
            return;
        }
        Files.delete(source);
        AtomicFiles.forceDirectory(destination.toAbsolutePath().getParent());
    }

    private static void moveAtomically(Path source, Path destination) throws IOException {
        Files.move(source, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.forceDirectory(destination.toAbsolutePath().getParent());
    }
}
