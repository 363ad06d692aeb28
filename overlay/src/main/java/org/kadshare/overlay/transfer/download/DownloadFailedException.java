package org.kadshare.overlay.transfer.download;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import org.kadshare.storage.ContentId;

/**
 * A download gave up: every holder was tried and is gone, or the disk failed. The verified part
 * stays in the block store, so starting the download again later fetches only what is missing.
 */
public final class DownloadFailedException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The download failed for {@code message}, with each holder tried and why it dropped out. */
    public DownloadFailedException(ContentId id, String message, Map<InetSocketAddress, String> holderFailures) {
        super("download of " + id + " failed: " + message + describe(holderFailures));
    }

    /** The download failed for {@code cause} (disk, whole-file check). */
    public DownloadFailedException(ContentId id, String message, Throwable cause) {
        super("download of " + id + " failed: " + message, cause);
    }

    private static String describe(Map<InetSocketAddress, String> failures) {
        if (failures.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("; holders tried:");
        failures.forEach((address, reason) -> b.append("\n  ").append(address).append(": ").append(reason));
        return b.toString();
    }
}
