package org.kadshare.simulations.swarm;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.kadshare.overlay.transfer.download.DownloadCore;
import org.kadshare.overlay.transfer.server.UploadScheduler;

/**
 * One node of a swarm: its links' capacities, what it holds and serves (its upload sessions, run
 * by the block server's {@code UploadCore} and {@link UploadScheduler}), and, for a getter, the
 * download core it runs. Touched only by the simulation's one thread.
 */
final class SwarmPeer {
    final int index;
    final InetSocketAddress address;
    final boolean getter;
    final long uploadBytesPerSecond;
    final long downloadBytesPerSecond;
    final long latencyMillis;
    final HolderSpec.Fault fault;
    final BitSet held = new BitSet();
    final Uplink uplink;
    final UploadScheduler uploadSlots;
    /** Sessions of downloaders connected to this node, in the order they connected. */
    final List<SwarmSession> sessions = new ArrayList<>();
    /** When this node's download link is free again, in virtual nanoseconds. */
    long downloadFreeAtNanos;
    long bytesUploaded;
    long bytesReceived;
    long busyRefusals;
    boolean gone;
    /** A silent holder: it answers nothing any more, and its connections stay open. */
    boolean frozen;
    boolean ticking;
    boolean announced;
    DownloadCore core;
    long arrivedAtMillis = -1;
    long doneAtMillis = -1;
    Exception failure;

    SwarmPeer(int index, InetSocketAddress address, boolean getter, long uploadBytesPerSecond,
            long downloadBytesPerSecond, long latencyMillis, HolderSpec.Fault fault, Uplink uplink,
            UploadScheduler uploadSlots) {
        this.index = index;
        this.address = address;
        this.getter = getter;
        this.uploadBytesPerSecond = uploadBytesPerSecond;
        this.downloadBytesPerSecond = downloadBytesPerSecond;
        this.latencyMillis = latencyMillis;
        this.fault = fault;
        this.uplink = uplink;
        this.uploadSlots = uploadSlots;
        this.frozen = fault == HolderSpec.Fault.SILENT_AT_HANDSHAKE;
    }

    boolean downloading() {
        return core != null && !core.isDone();
    }
}
