package org.kadshare.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code node.lock} file of a data directory, held with an OS file lock while a node (or a
 * temporary one, for an offline {@code get}) uses the directory, so two never share it. The OS
 * drops the lock when the process dies, so a crash leaves nothing to clean up.
 */
final class NodeLock implements AutoCloseable {
    static final String FILE_NAME = "node.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private NodeLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or fails with {@link ExitCode#ALREADY_RUNNING} if another process holds it. */
    static NodeLock acquire(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new CliException(ExitCode.IO, "cannot open " + file + ": " + e.getMessage(), e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new CliException(ExitCode.IO, "cannot lock " + file + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new CliException(ExitCode.ALREADY_RUNNING, "a node is already running on data directory " + dataDir
                    + " (" + file + " is locked); stop it first or use another --data-dir");
        }
        return new NodeLock(channel, lock);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // The channel close below releases it too.
            org.slf4j.LoggerFactory.getLogger(NodeLock.class).debug("releasing the lock failed", e);
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(NodeLock.class).debug("closing the lock file failed", e);
        }
    }
}
