package org.kadshare.overlay.node;

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

    /** Stops the fetch; what was verified is kept for a later resume. */
    void cancel();
}
