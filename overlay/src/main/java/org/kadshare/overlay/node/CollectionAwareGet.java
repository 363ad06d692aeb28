package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.kadshare.overlay.node.GetFailedException.Reason;
import org.kadshare.overlay.transfer.download.DownloadProgress;
import org.kadshare.storage.Collection;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.ManifestChoice;
import org.kadshare.storage.ManifestException;
import org.kadshare.storage.StoredFile;

/**
 * A {@code get} to a {@link GetTarget}: a single file named from its manifests, or, when the
 * chosen manifest has the media type {@link Collection#MEDIA_TYPE}, a collection: its document
 * is fetched first (into the node's {@code collections/} directory, where the node keeps serving
 * it), then {@link CollectionFetch} recreates the tree, asking the collection's holders for each
 * file besides those the DHT names for it (the DHT bounds the holder records one address may
 * have stored at a node, so a folder of many files is not fully findable file by file in a small
 * network). A collection held here already, with a kept manifest saying so, skips the first step.
 */
final class CollectionAwareGet implements GetTask {
    private final Node node;
    private final ContentId id;
    private final GetTarget target;
    private final GetOptions options;
    private final TargetNamer fileNamer;
    private final CompletableFuture<StoredFile> result = new CompletableFuture<>();
    private volatile NodeGet document;
    private volatile CollectionFetch fetch;
    private volatile Path root;
    private volatile boolean collection;
    private volatile boolean cancelled;
    private volatile int files = -1;

    CollectionAwareGet(Node node, ContentId id, GetTarget target, GetOptions options) {
        this.node = node;
        this.id = id;
        this.target = target;
        this.options = options;
        this.fileNamer = new TargetNamer(target, id, options.overwrite());
    }

    @Override
    public ContentId id() {
        return id;
    }

    @Override
    public GetPhase phase() {
        if (result.isDone()) {
            return result.isCompletedExceptionally() ? GetPhase.FAILED : GetPhase.DONE;
        }
        if (fetch != null) {
            return GetPhase.DOWNLOADING;
        }
        NodeGet d = document;
        return d == null ? GetPhase.FINDING_HOLDERS : d.phase() == GetPhase.DONE ? GetPhase.DOWNLOADING : d.phase();
    }

    @Override
    public DownloadProgress progress() {
        CollectionFetch f = fetch;
        if (f != null) {
            return f.progress();
        }
        NodeGet d = document;
        return d == null || collection ? null : d.progress();
    }

    @Override
    public CompletableFuture<StoredFile> result() {
        return result;
    }

    @Override
    public Path destination() {
        if (collection) {
            return root;
        }
        NodeGet d = document;
        return d == null ? null : d.destination();
    }

    @Override
    public int collectionFiles() {
        return files;
    }

    @Override
    public void cancel() {
        cancelled = true;
        CollectionFetch f = fetch;
        NodeGet d = document;
        if (f != null) {
            f.cancel();
        } else if (d != null) {
            d.cancel();
        }
    }

    /** On the node's executor. */
    void start() {
        try {
            Optional<StoredFile> held = node.store().get(id).filter(s -> !s.stale());
            Optional<Manifest> kept = ManifestChoice.choose(node.manifests().load(id), node.ownKey());
            if (held.isPresent() && kept.filter(CollectionAwareGet::isCollection).isPresent()) {
                String problem = fileNamer.problem();
                if (problem != null) {
                    throw new GetFailedException(Reason.DESTINATION, problem, null);
                }
                root = CollectionRoot.of(target, kept.get(), id);
                collection = true;
                fetchTree(held.get());
                return;
            }
        } catch (IOException | ManifestException | RuntimeException e) {
            fail(e);
            return;
        }
        NodeGet d = node.getFile(id, new Namer(), options);
        document = d;
        if (cancelled) {
            d.cancel();
        }
        d.result().whenComplete((stored, error) -> {
            if (error != null) {
                fail(error);
            } else if (!collection) {
                result.complete(stored);
            } else {
                try {
                    fetchTree(stored);
                } catch (IOException | RuntimeException e) {
                    fail(e);
                }
            }
        });
    }

    private void fetchTree(StoredFile doc) throws IOException {
        Collection c = CollectionDocument.read(node.store(), doc);
        FileSelection selection;
        try {
            selection = FileSelection.of(target.only());
        } catch (IllegalArgumentException e) {
            throw new GetFailedException(Reason.NOT_FOUND, e.getMessage(), e);
        }
        var chosen = selection.files(c.files());
        List<String> dirs = selection.directories(c.emptyDirectories());
        if (!selection.selectsAll() && chosen.isEmpty() && dirs.isEmpty()) {
            throw new GetFailedException(Reason.NOT_FOUND, "no file of the collection " + id + " (" + c.files().size()
                    + " files) matches --only " + String.join(" ", target.only()), null);
        }
        files = chosen.size();
        node.dht().findHolders(id).exceptionally(e -> List.of()).thenAccept(holders -> {
            CollectionFetch f = new CollectionFetch(node, root, chosen, dirs, options, holders);
            fetch = f;
            if (cancelled) {
                f.cancel();
            }
            f.start().whenComplete((ok, error) -> {
                if (error != null) {
                    fail(error);
                } else {
                    result.complete(doc);
                }
            });
        });
    }

    private void fail(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof GetFailedException) {
            result.completeExceptionally(cause);
        } else {
            result.completeExceptionally(new GetFailedException(cause instanceof ManifestException
                    ? Reason.VERIFICATION : Reason.NETWORK, "get of " + id + " failed: " + cause.getMessage(), cause));
        }
    }

    static boolean isCollection(Manifest m) {
        return Collection.MEDIA_TYPE.equals(m.mediaType());
    }

    /** Names a file as the target says, or sends a collection's document to the node's own directory. */
    private final class Namer implements DestinationNamer {
        @Override
        public String problem() {
            return fileNamer.problem();
        }

        @Override
        public Path name(Optional<Manifest> chosen) throws IOException {
            if (chosen.isPresent() && isCollection(chosen.get())) {
                root = CollectionRoot.of(target, chosen.get(), id);
                collection = true;
                Path doc = node.collectionsDirectory().resolve(id.toHex());
                Files.createDirectories(doc.getParent());
                Files.deleteIfExists(doc);
                return doc;
            }
            if (!target.only().isEmpty()) {
                throw new GetFailedException(Reason.NOT_FOUND, id + " is a single file, not a collection:"
                        + " --only applies to collections", null);
            }
            return fileNamer.name(chosen);
        }
    }
}
