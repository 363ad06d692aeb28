package org.kadshare.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Collectors;
import org.kadshare.overlay.node.GetTask;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.download.PeerProgress;
import org.kadshare.storage.ContentId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One info line when a get starts and one when it ends: bytes, time, rate, and what each holder
 * gave. An expected failure (not found, timeout, a peer gone) is one line with its reason, never
 * a stack trace. Under the {@code download} subsystem ({@code --log download=warn} silences it).
 */
final class TransferLog {
    private static final Logger LOG = LoggerFactory.getLogger("org.kadshare.overlay.transfer.download.Transfers");

    private TransferLog() {
    }

    static void started(ContentId id, Path destination) {
        LOG.info("get {} started into {}", id.toHex(), destination);
    }

    /**
     * Logs a detached download's start now and its end when its task's result completes (the
     * first outcome: a download resumed after it failed is not logged again).
     */
    static void detached(GetTask task, String transferId, Path target) {
        long startNanos = System.nanoTime();
        LOG.info("get {} started into {} (detached, transfer {})", task.id().toHex(), target, transferId);
        task.result().whenComplete((f, e) -> {
            if (f != null) {
                finished(task.id(), f.lengthBytes(), System.nanoTime() - startNanos, task.progress());
            } else {
                failed(task.id(), System.nanoTime() - startNanos, Failures.classify(e).message(), task.progress());
            }
        });
    }

    static void finished(ContentId id, long lengthBytes, long elapsedNanos, DownloadProgress last) {
        double seconds = Math.max(elapsedNanos, 1) / 1e9;
        LOG.info("get {} done: {} in {} s ({}/s){}", id.toHex(), Messages.bytes(lengthBytes),
                String.format(Locale.ROOT, "%.2f", seconds), Messages.bytes(Math.round(lengthBytes / seconds)),
                peers(last));
    }

    static void failed(ContentId id, long elapsedNanos, String reason, DownloadProgress last) {
        LOG.info("get {} failed after {} s: {}{}", id.toHex(), String.format(Locale.ROOT, "%.2f",
                elapsedNanos / 1e9), reason, peers(last));
    }

    /** {@code "; from 127.0.0.2:4870 1.2 MiB, 127.0.0.3:4870 300.0 KiB"}, or nothing. */
    static String peers(DownloadProgress p) {
        if (p == null || p.peers().isEmpty()) {
            return "";
        }
        return "; from " + p.peers().stream().filter(peer -> peer.bytesFetched() > 0 || failed(peer))
                .map(TransferLog::peer).collect(Collectors.joining(", "));
    }

    private static boolean failed(PeerProgress p) {
        return p.failure() != null && !p.failure().isBlank();
    }

    private static String peer(PeerProgress p) {
        String given = NodeJson.address(p.address()) + " " + Messages.bytes(p.bytesFetched());
        return failed(p) ? given + " (" + p.failure() + ")" : given;
    }
}
