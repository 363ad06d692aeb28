package org.kadshare.overlay.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.kadshare.overlay.node.TransferRefusedException.Kind;
import org.kadshare.overlay.transfer.PeerClass;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.overlay.transfer.download.PeerProgress;
import org.kadshare.overlay.transfer.server.UploadSnapshot;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.StoredFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's transfers as objects a user can list and steer: the downloads it runs (started by a
 * client that follows them, or detached and left to the node) and the uploads its block server
 * serves. A download can be paused (its run stops, the verified part stays in the store),
 * resumed (a new run picks the verified part up) and cancelled (stopped for good, the verified
 * part of a single file removed); {@link TransferRules} decides what each command does in each
 * state, so a repeated or late command has one clear answer.
 *
 * <p>Bounds: at most {@link #MAX_DOWNLOADS} downloads that are not finished; of the finished
 * ones (done, cancelled) the latest {@link #MAX_FINISHED} are remembered. Uploads are not kept
 * here: they are read from the block server, whose limits bound them.
 */
public final class Transfers {
    private static final Logger LOG = LoggerFactory.getLogger(Transfers.class);
    /** Downloads running, paused or failed (resumable) at once, at most. */
    static final int MAX_DOWNLOADS = 256;
    /** Finished downloads remembered for {@link #list()}. */
    static final int MAX_FINISHED = 64;
    /** Contents whose holder count {@link #holdersSeen} remembers. */
    static final int MAX_HOLDER_COUNTS = 4096;

    /** Starts one run of a get. */
    @FunctionalInterface
    interface Starter {
        GetTask start(ContentId id, GetTarget target, GetOptions options);
    }

    /** Removes the verified part of a download left in the store. */
    @FunctionalInterface
    interface PartialRemover {
        void remove(ContentId id) throws IOException;
    }

    private final Starter starter;
    private final PartialRemover remover;
    private final Supplier<List<UploadSnapshot>> uploads;
    private final LongSupplier nanoClock;
    private final Map<String, DownloadTransfer> downloads = new LinkedHashMap<>();
    private final Map<ContentId, Integer> holderCounts = new LinkedHashMap<>();
    private final Map<PeerClass, LongAdder> fetchedPerClass = new EnumMap<>(PeerClass.class);
    private long lastNumber;

    Transfers(Starter starter, PartialRemover remover, Supplier<List<UploadSnapshot>> uploads, LongSupplier nanoClock) {
        this.starter = starter;
        this.remover = remover;
        this.uploads = uploads;
        this.nanoClock = nanoClock;
        for (PeerClass c : PeerClass.values()) {
            fetchedPerClass.put(c, new LongAdder());
        }
    }

    /**
     * Starts downloading {@code id} to {@code target}. A {@code detached} download is left to the
     * node; otherwise its caller follows the returned task, and {@link GetTask#cancel()} on it stops
     * it keeping the verified part (what a get whose client went away does).
     *
     * @throws TransferRefusedException ({@code CONFLICT}) if {@code id} is already downloading or
     *     paused here, or too many downloads are unfinished
     */
    public synchronized GetTask download(ContentId id, GetTarget target, GetOptions options, boolean detached) {
        int unfinished = 0;
        for (DownloadTransfer t : downloads.values()) {
            if (t.id().equals(id) && (t.state() == TransferState.RUNNING || t.state() == TransferState.PAUSED)) {
                throw new TransferRefusedException(Kind.CONFLICT, id + " is already being downloaded here as transfer "
                        + t.transferId() + " (" + t.state().name().toLowerCase(Locale.ROOT) + ")");
            }
            if (!t.state().finished()) {
                unfinished++;
            }
        }
        if (unfinished >= MAX_DOWNLOADS) {
            throw new TransferRefusedException(Kind.CONFLICT, "already " + unfinished + " downloads that are not"
                    + " finished (at most " + MAX_DOWNLOADS + "); cancel some first");
        }
        DownloadTransfer t = new DownloadTransfer(this, "d" + (++lastNumber), id, target, options, detached,
                nanoClock.getAsLong());
        downloads.put(t.transferId(), t);
        t.startAttempt();
        return t;
    }

    /** The transfer ID of a task {@link #download} returned. */
    public static String transferId(GetTask task) {
        if (task instanceof DownloadTransfer t) {
            return t.transferId();
        }
        throw new IllegalArgumentException("not a transfer of this registry: " + task);
    }

    /** Every transfer: downloads in the order they started, then uploads in progress. */
    public List<Transfer> list() {
        List<Transfer> out = new ArrayList<>();
        long now = nanoClock.getAsLong();
        synchronized (this) {
            downloads.values().forEach(t -> out.add(t.snapshot(now)));
        }
        uploads.get().forEach(u -> out.add(upload(u)));
        return out;
    }

    /**
     * One transfer by its ID.
     *
     * @throws TransferRefusedException ({@code NO_SUCH_TRANSFER}) if there is none
     */
    public Transfer get(String transferId) {
        synchronized (this) {
            DownloadTransfer t = downloads.get(transferId);
            if (t != null) {
                return t.snapshot(nanoClock.getAsLong());
            }
        }
        return uploads.get().stream().map(Transfers::upload).filter(u -> u.transferId().equals(transferId))
                .findFirst().orElseThrow(() -> noSuch(transferId));
    }

    /**
     * Pauses, resumes or cancels a download and returns it as it is afterwards. Asking for the
     * state it is in already changes nothing and is no error.
     *
     * @throws TransferRefusedException {@code NO_SUCH_TRANSFER} for an unknown ID, {@code CONFLICT}
     *     when the state does not allow it (pausing a finished download; any command on an upload)
     */
    public synchronized Transfer command(String transferId, TransferCommand command) {
        DownloadTransfer t = downloads.get(transferId);
        if (t == null) {
            if (uploads.get().stream().anyMatch(u -> ("u" + u.sessionNumber()).equals(transferId))) {
                throw new TransferRefusedException(Kind.CONFLICT, "transfer " + transferId + " is an upload: only"
                        + " downloads can be paused, resumed or cancelled");
            }
            throw noSuch(transferId);
        }
        TransferRules.Decision d = TransferRules.decide(t.state(), command);
        if (d.refused()) {
            throw new TransferRefusedException(Kind.CONFLICT, "cannot " + command.name().toLowerCase(Locale.ROOT)
                    + " transfer " + transferId + ": " + d.refusal());
        }
        if (d.changes()) {
            if (command == TransferCommand.RESUME && conflictsWithAnother(t)) {
                throw new TransferRefusedException(Kind.CONFLICT, "cannot resume transfer " + transferId + ": "
                        + t.id() + " is being downloaded by another transfer");
            }
            LOG.info("transfer {} ({}): {}", transferId, t.id().toHex(), command.name().toLowerCase(Locale.ROOT));
            t.apply(command, d.next());
            pruneFinished();
        }
        return t.snapshot(nanoClock.getAsLong());
    }

    /**
     * How many holders the latest download of {@code id} here knew, if one ran since the node
     * started.
     */
    public synchronized OptionalInt holdersSeen(ContentId id) {
        Integer n = holderCounts.get(id);
        return n == null ? OptionalInt.empty() : OptionalInt.of(n);
    }

    /** Verified bytes this node's downloads fetched from peers of {@code peerClass} (counted as each run stops). */
    public long bytesFetchedFrom(PeerClass peerClass) {
        return fetchedPerClass.get(peerClass).sum();
    }

    /** Downloads by state, for metrics. */
    public synchronized Map<TransferState, Integer> downloadsByState() {
        Map<TransferState, Integer> counts = new EnumMap<>(TransferState.class);
        for (TransferState s : TransferState.values()) {
            counts.put(s, 0);
        }
        downloads.values().forEach(t -> counts.merge(t.state(), 1, Integer::sum));
        return counts;
    }

    /** Uploads in progress now. */
    public int uploadsInProgress() {
        return uploads.get().size();
    }

    Starter starter() {
        return starter;
    }

    /** Called when a run of {@code t} ends, from whichever thread completed it. */
    synchronized void attemptEnded(DownloadTransfer t, GetTask run, StoredFile stored, Throwable error) {
        DownloadProgress p = run.progress();
        if (p != null) {
            for (PeerProgress peer : p.peers()) {
                fetchedPerClass.get(PeerClass.of(peer.address().getAddress())).add(peer.bytesFetched());
            }
        }
        t.ended(run, stored, error);
        if (t.holdersSeen() > 0) {
            holderCounts.remove(t.id());
            holderCounts.put(t.id(), t.holdersSeen());
            if (holderCounts.size() > MAX_HOLDER_COUNTS) {
                Iterator<ContentId> oldest = holderCounts.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
        pruneFinished();
    }

    /** Under the lock: removes the verified part of {@code t}'s content unless another download needs it. */
    void discardPartial(DownloadTransfer t) {
        if (conflictsWithAnother(t)) {
            return;
        }
        try {
            remover.remove(t.id());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot remove the verified part of {} ({}): {}", t.id(), t.transferId(), e.toString());
        }
    }

    private boolean conflictsWithAnother(DownloadTransfer t) {
        return downloads.values().stream().anyMatch(o -> o != t && o.id().equals(t.id())
                && (o.state() == TransferState.RUNNING || o.state() == TransferState.PAUSED));
    }

    private void pruneFinished() {
        long finished = downloads.values().stream().filter(t -> t.state().finished()).count();
        Iterator<DownloadTransfer> it = downloads.values().iterator();
        while (finished > MAX_FINISHED && it.hasNext()) {
            if (it.next().state().finished()) {
                it.remove();
                finished--;
            }
        }
    }

    private static Transfer upload(UploadSnapshot u) {
        return new Transfer("u" + u.sessionNumber(), Transfer.Direction.UPLOAD, u.id(), TransferState.RUNNING, null,
                false, null, u.bytesServed(), u.lengthBytes(), u.bytesPerSecond(), -1, u.elapsedMillis(),
                List.of(new TransferPeer(u.peer(), u.bytesServed(), "CONNECTED")), null);
    }

    private static TransferRefusedException noSuch(String transferId) {
        return new TransferRefusedException(Kind.NO_SUCH_TRANSFER, "no transfer " + transferId
                + " (see `transfers` for the list)");
    }
}
