package org.kadshare.overlay.transfer.download;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.StoredFile;

/**
 * Fetches one file from several holders at once into the block store, verifying every span before
 * it is written, and publishes it at its destination once the whole file checks out.
 *
 * <p>The handle of one run. What the run decides is the sans-IO {@link DownloadCore}'s (see
 * there: the leaf layer, the length proof, spans, stalls, BUSY pauses, whom to connect next); the
 * {@link DownloadDriver} runs that core on the event loop of the run's connections and does the
 * disk work on a {@link DownloadDisk} (its node's). Calls here may come from any thread; they are
 * handed to that loop.
 */
public final class Download {
    /** Holders known to one download at most, including those already dropped. */
    static final int MAX_KNOWN_HOLDERS = HolderSet.MAX_KNOWN_HOLDERS;
    /** Holders waiting or connected at once at most; more are ignored until some drop out. */
    static final int MAX_PENDING_HOLDERS = HolderSet.MAX_PENDING_HOLDERS;

    private final DownloadDriver driver;

    private Download(DownloadDriver driver) {
        this.driver = driver;
    }

    /**
     * Starts downloading {@code id} from {@code holders} (all there will be) into {@code store}, to
     * appear at {@code destination} when complete. The length is learned from the holders, proven
     * against the ID. Uses its own block-transfer client, closed at the end.
     */
    public static Download start(ContentId id, List<InetSocketAddress> holders, BlockStore store,
            Path destination, DownloadOptions options) {
        return start(id, holders, false, store, () -> destination, options, new WireConnector(options), true,
                ownDisk(id, options), true);
    }

    /**
     * Like {@link #start}, for a run whose holders are still being found: {@code holders} may be
     * empty, more come through {@link #addHolder}, and the run does not fail for want of holders
     * before {@link #noMoreHolders()}.
     */
    public static Download startFinding(ContentId id, List<InetSocketAddress> holders, BlockStore store,
            Path destination, DownloadOptions options) {
        return start(id, holders, true, store, () -> destination, options, new WireConnector(options), true,
                ownDisk(id, options), true);
    }

    /**
     * Like {@link #startFinding(ContentId, List, BlockStore, Path, DownloadOptions)}, named at the
     * end, with its disk work on {@code disk} (a node's, shared by its downloads; not closed here).
     */
    public static Download startFinding(ContentId id, List<InetSocketAddress> holders, BlockStore store,
            Destination destination, DownloadOptions options, DownloadDisk disk) {
        Objects.requireNonNull(disk, "disk");
        return start(id, holders, true, store, destination, options, new WireConnector(options), true, disk, false);
    }

    /**
     * Where a finished download is published: asked once, on a disk thread, when every byte is in
     * and verified, so a name that depends on manifests still arriving during the run is chosen
     * from all of them.
     */
    @FunctionalInterface
    public interface Destination {
        Path path() throws IOException;

        /**
         * Completes once {@link #path} can be asked (at once unless overridden): a name that comes
         * from manifests can wait here for their lookup, off the disk threads. Never fails.
         */
        default CompletionStage<Void> whenNameable() {
            return CompletableFuture.completedFuture(null);
        }
    }

    static Download start(ContentId id, List<InetSocketAddress> holders, boolean moreHoldersMayCome,
            BlockStore store, Path destination, DownloadOptions options, PeerConnector connector,
            boolean ownsConnector) {
        Objects.requireNonNull(destination, "destination");
        return start(id, holders, moreHoldersMayCome, store, () -> destination, options, connector, ownsConnector,
                ownDisk(id, options), true);
    }

    /** Like the other, with its disk work on {@code disk}, closed at the end if {@code ownsDisk}. */
    static Download start(ContentId id, List<InetSocketAddress> holders, boolean moreHoldersMayCome,
            BlockStore store, Destination destination, DownloadOptions options, PeerConnector connector,
            boolean ownsConnector, DownloadDisk disk, boolean ownsDisk) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(destination, "destination");
        DownloadDriver driver = new DownloadDriver(id, holders, moreHoldersMayCome, store, destination, options,
                connector, ownsConnector, disk, ownsDisk);
        driver.start();
        return new Download(driver);
    }

    /** The disk of a run that has no node's to share: {@link DownloadOptions#diskThreads()} threads of its own. */
    private static DownloadDisk ownDisk(ContentId id, DownloadOptions options) {
        return DownloadDisk.create(options.diskThreads(), "kadshare-download-" + id.toHex().substring(0, 8) + "-disk");
    }

    /**
     * Completes with the stored file once it is at its destination, or exceptionally with a
     * {@link DownloadFailedException} (the partial state is kept) or a
     * {@link CancellationException} after {@link #cancel()}.
     */
    public CompletableFuture<StoredFile> result() {
        return driver.result().copy();
    }

    /** The latest progress snapshot (refreshed every tick). */
    public DownloadProgress progress() {
        return driver.progress();
    }

    /**
     * Adds a holder found after the start; it is connected when a connection slot is free. One
     * already known, or one past {@link #MAX_PENDING_HOLDERS} waiting or connected, is ignored.
     */
    public void addHolder(InetSocketAddress holder) {
        Objects.requireNonNull(holder, "holder");
        driver.post(() -> driver.core().addHolder(holder));
    }

    /** No holder will be added any more: once every known one has dropped out, the run fails. */
    public void noMoreHolders() {
        driver.post(() -> driver.core().noMoreHolders());
    }

    /** Stops the download, keeping what was verified for a later run. */
    public void cancel() {
        driver.post(() -> driver.core().cancel());
    }

    /** The content downloaded. */
    public ContentId id() {
        return driver.core().id();
    }
}
