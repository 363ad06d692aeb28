package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.kadshare.storage.StorageFullException;

/**
 * What a get tells the user when a disk fills up: that it is the disk, which file was being
 * written, how much space the content needs and how much is free on that disk.
 */
final class DiskFullReport {
    private DiskFullReport() {
    }

    /** The StorageFullException behind {@code failure}, or null. */
    static StorageFullException find(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StorageFullException full) {
                return full;
            }
        }
        return null;
    }

    /**
     * One line such as "disk full: no space left on the disk of /mnt/out.bin: the content needs
     * 3145728 bytes, 1048576 are free there"; {@code neededBytes} below 0 when unknown.
     */
    static String describe(StorageFullException full, long neededBytes) {
        Path path = full.path();
        if (path == null) {
            return full.getMessage();
        }
        StringBuilder line = new StringBuilder("disk full: no space left on the disk of ").append(path).append(": ");
        if (neededBytes >= 0) {
            line.append("the content needs ").append(neededBytes).append(" bytes, ");
        }
        long free = usableBytes(path);
        line.append(free >= 0 ? free + " bytes are free there" : "its free space cannot be read");
        return line.toString();
    }

    private static long usableBytes(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Files.getFileStore(p).getUsableSpace();
                } catch (IOException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
