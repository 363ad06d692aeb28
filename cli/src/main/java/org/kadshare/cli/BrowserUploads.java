package org.kadshare.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.kadshare.cli.control.Uploads;

/**
 * Files sent from the dashboard: kept in the data directory's {@code uploads/} folder under the
 * name the browser gave (with " (2)", " (3)", ... when taken) and shared by reference from there.
 * An upload must leave {@link #RESERVE_BYTES} free on the disk, so a browser cannot fill it up.
 */
final class BrowserUploads implements Uploads {
    static final String DIRECTORY = "uploads";
    static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024 * 1024;
    static final long RESERVE_BYTES = 64L * 1024 * 1024;
    private static final int MAX_SAME_NAME = 1000;

    /** Shares a received file and returns the reply. */
    @FunctionalInterface
    interface Sharer {
        Map<String, Object> share(Path file, String name) throws Exception;
    }

    /** The free bytes of the disk holding a directory. */
    @FunctionalInterface
    interface FreeSpace {
        long usableBytes(Path dir) throws IOException;
    }

    private final Path directory;
    private final long maxBytes;
    private final FreeSpace freeSpace;
    private final Sharer sharer;

    BrowserUploads(Path dataDir, long maxBytes, FreeSpace freeSpace, Sharer sharer) {
        this.directory = dataDir.resolve(DIRECTORY);
        this.maxBytes = maxBytes;
        this.freeSpace = freeSpace;
        this.sharer = sharer;
    }

    static FreeSpace diskSpace() {
        return dir -> Files.getFileStore(Files.exists(dir) ? dir : dir.getParent()).getUsableSpace();
    }

    @Override
    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public void checkRoom(long bytes) throws IOException {
        long free = freeSpace.usableBytes(directory);
        if (free - RESERVE_BYTES < bytes) {
            throw new CliException(ExitCode.DISK_FULL, "disk full: the upload of " + Messages.bytes(bytes)
                    + " does not fit (" + Messages.bytes(Math.max(0, free)) + " free, "
                    + Messages.bytes(RESERVE_BYTES) + " kept free); nothing was stored");
        }
    }

    @Override
    public Exception writeFailed(IOException e, long written) {
        if (e.getMessage() != null && e.getMessage().contains("No space left")) {
            return new CliException(ExitCode.DISK_FULL, "disk full: the upload stopped after "
                    + Messages.bytes(written) + "; nothing was stored", e);
        }
        return e;
    }

    @Override
    public Map<String, Object> accept(Path received, String name) throws Exception {
        Path kept = keep(received, name);
        try {
            return sharer.share(kept, name);
        } catch (Exception e) {
            Files.deleteIfExists(kept);
            throw e;
        }
    }

    private Path keep(Path received, String name) throws IOException {
        for (int n = 1; n <= MAX_SAME_NAME; n++) {
            Path target = directory.resolve(n == 1 ? name : numbered(name, n));
            try {
                return Files.move(received, target);
            } catch (FileAlreadyExistsException e) {
                // try the next number
            }
        }
        throw new CliException(ExitCode.DESTINATION, MAX_SAME_NAME + " uploads are already named " + name);
    }

    static String numbered(String name, int n) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + " (" + n + ")" + name.substring(dot) : name + " (" + n + ")";
    }
}
