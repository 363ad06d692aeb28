package org.kadshare.overlay.node;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.kadshare.storage.ContentId;

/**
 * A snapshot of one transfer, a download this node runs or an upload it serves.
 *
 * @param transferId     {@code d<n>} for a download, {@code u<n>} for an upload; unique while the node runs
 * @param direction      which of the two
 * @param id             the content
 * @param state          where it stands
 * @param phase          for a running download its phase; null otherwise
 * @param detached       for a download, whether it was left to the node (no client follows it)
 * @param destination    for a download, where it is written (null until named from the manifests)
 * @param bytesDone      verified bytes held (download) or bytes served (upload)
 * @param totalBytes     the content's length, or -1 while unknown
 * @param bytesPerSecond the current rate (download: recent; upload: the session's average)
 * @param etaMillis      estimated time to completion, or -1 when unknown (always for an upload)
 * @param elapsedMillis  since the transfer started
 * @param peers          the holders of a download, or the peer of an upload
 * @param message        why it failed or was cancelled; null otherwise
 */
public record Transfer(String transferId, Direction direction, ContentId id, TransferState state, GetPhase phase,
        boolean detached, Path destination, long bytesDone, long totalBytes, double bytesPerSecond, long etaMillis,
        long elapsedMillis, List<TransferPeer> peers, String message) {

    /** Download or upload. */
    public enum Direction { DOWNLOAD, UPLOAD }

    public Transfer {
        peers = List.copyOf(peers);
    }

    /** The peers connected now (for an upload, its one peer; none unless it is running). */
    public int peersConnected() {
        if (state != TransferState.RUNNING) {
            return 0;
        }
        return direction == Direction.UPLOAD ? peers.size()
                : (int) peers.stream().filter(p -> "CONNECTED".equals(p.state())).count();
    }

    /** The single peer of an upload. */
    public InetSocketAddress uploadPeer() {
        return direction == Direction.UPLOAD && !peers.isEmpty() ? peers.get(0).address() : null;
    }
}
