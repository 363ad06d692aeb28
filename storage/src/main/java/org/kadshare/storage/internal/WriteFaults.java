package org.kadshare.storage.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The store's single point of contact before every write to disk, so that tests can make the disk
 * fail (a full disk, an I/O error) at an exact write, or count writes. Production uses
 * {@link #NONE}.
 */
@FunctionalInterface
public interface WriteFaults {
    /** Never fails. */
    WriteFaults NONE = (file, sizeBytes) -> { };

    /**
     * Called before {@code sizeBytes} are written to {@code file}.
     *
     * @throws IOException to make that write fail as the disk would
     */
    void beforeWrite(Path file, long sizeBytes) throws IOException;
}
