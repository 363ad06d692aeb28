package org.kadshare.storage.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Small files replaced all at once: the bytes go to a temporary file in the target's directory,
 * are forced to disk, and the temporary is renamed over the target; the directory is then forced
 * so the rename itself survives a crash. A reader sees the old file or the new one, never a mix.
 * On any failure the temporary is deleted and the target is untouched.
 */
public final class AtomicFiles {
    /** Suffix of temporary files; anything ending in it is debris of an interrupted write. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content} atomically. */
    public static void write(Path target, byte[] content, WriteFaults faults) throws IOException {
        write(target, content, faults, true);
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Replaces {@code target} with {@code content} atomically, without waiting for the disk: after
     * a crash the file may be the old one, the new one, or empty or damaged, never a mix a reader
     * could take for valid content if it checks what it reads. For files whose every byte is
     * checked when read and that can be made again from elsewhere.
     */
    public static void writeUnforced(Path target, byte[] content, WriteFaults faults) throws IOException {
        write(target, content, faults, false);
    }

    private static void write(Path target, byte[] content, WriteFaults faults, boolean force) throws IOException {
        Path temp = tempBeside(target);
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                faults.beforeWrite(temp, content.length);
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (force) {
                    ch.force(true);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw DiskErrors.classify(e, "writing " + target, target);
        }
    }

    /** A fresh temporary file name in {@code target}'s directory (the file is not created). */
    public static Path tempBeside(Path target) {
        return target.resolveSibling(target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + TEMP_SUFFIX);
    }

    /**
     * Renames {@code source} to {@code target} atomically (replacing it), then forces the
     * directory.
     *
     * @throws AtomicMoveNotSupportedException when they are on different file systems
     */
    public static void rename(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(target.toAbsolutePath().getParent());
    }

    /** Forces a directory's entries to disk where the platform allows it (not on Windows). */
    public static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open or force a directory; the rename is still atomic there.
        }
    }
}
