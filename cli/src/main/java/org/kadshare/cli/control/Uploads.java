package org.kadshare.cli.control;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@code POST /v1/upload} puts a file sent from the browser, and what it does with it once
 * the whole body has arrived. The body is streamed to a temporary file in {@link #directory}, never
 * held in memory.
 */
public interface Uploads {
    /** The largest upload accepted. */
    long maxBytes();

    /** The directory the temporary file is written to (created if missing). */
    Path directory();

    /** Throws (a disk-full failure) when an upload of {@code bytes} does not fit on the disk. */
    void checkRoom(long bytes) throws Exception;

    /** What the client is told when writing the upload failed after {@code written} bytes. */
    default Exception writeFailed(java.io.IOException e, long written) {
        return e;
    }

    /**
     * Takes the complete upload: {@code received} is the temporary file, {@code name} the file
     * name the browser gave. Returns the reply; on a failure the caller deletes {@code received}.
     */
    Map<String, Object> accept(Path received, String name) throws Exception;
}
