package org.kadshare.overlay.node;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.StoredFile;

/**
 * A running {@code get}. {@link #result()} fails with {@link GetFailedException} whose
 * {@code reason()} tells not-found, timeout, network and verification failures apart.
 */
public interface GetTask {
    ContentId id();

    GetPhase phase();

    /** Latest progress, or null before the download phase. */
    DownloadProgress progress();

    CompletableFuture<StoredFile> result();

    /**
     * Where the content is written (a file, or the root of a collection's tree): null until it is
     * named from the manifests.
     */
    Path destination();

    /** For a collection, how many of its files this get writes; -1 for a single file. */
    default int collectionFiles() {
        return -1;
    }

    /** Stops the fetch; what was verified is kept for a later resume. */
    void cancel();
}
