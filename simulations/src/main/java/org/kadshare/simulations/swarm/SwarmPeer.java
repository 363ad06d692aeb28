package org.kadshare.simulations.swarm;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.kadshare.overlay.transfer.download.DownloadCore;

/**
 * One node of a swarm: its links' capacities, what it holds and serves, and, for a getter, the
 * download core it runs. Touched only by the simulation's one thread.
 */
final class SwarmPeer {
    final int index;
    final InetSocketAddress address;
    final long uploadBytesPerSecond;
    final long downloadBytesPerSecond;
    final long latencyMillis;
    final BitSet held = new BitSet();
    /** Links of downloaders connected to this node, in the order they connected. */
    final List<SwarmLink> uploads = new ArrayList<>();
    /** A span this node is to send on {@code link}, in the order requests arrived. */
    record Send(SwarmLink link, long token, int height, long index, long bytes) {
    }

    /** Spans requested of this node, not sent yet; bounded by its downloaders' pipelines. */
    final ArrayDeque<Send> sendQueue = new ArrayDeque<>();
    boolean sending;
    /** When this node's upload and download links are free again, in virtual nanoseconds. */
    long uploadFreeAtNanos;
    long downloadFreeAtNanos;
    long bytesUploaded;
    long bytesReceived;
    boolean gone;
    boolean announced;
    DownloadCore core;
    long arrivedAtMillis = -1;
    long doneAtMillis = -1;
    Exception failure;

    SwarmPeer(int index, InetSocketAddress address, long uploadBytesPerSecond, long downloadBytesPerSecond,
            long latencyMillis) {
        this.index = index;
        this.address = address;
        this.uploadBytesPerSecond = uploadBytesPerSecond;
        this.downloadBytesPerSecond = downloadBytesPerSecond;
        this.latencyMillis = latencyMillis;
    }

    boolean downloading() {
        return core != null && !core.isDone();
    }
}
