package org.kadshare.overlay.node;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.kadshare.overlay.dht.DhtContact;
import org.kadshare.storage.ContentId;

/**
 * A kadshare node: the DHT, the block server, the downloader and the local store composed into
 * one object that a program (the CLI) drives. CONTRACT DRAFT: signatures agreed between the
 * engineers building it and the CLI; bodies to be written.
 */
public final class Node implements AutoCloseable {

    /**
     * Opens the data directory (identity, store, manifests), binds the DHT (UDP) and block server
     * (TCP), and starts re-announcing everything the store holds. Does not join: call
     * {@link #join}.
     */
    public static Node start(NodeConfig config) throws IOException {
        throw new UnsupportedOperationException("contract draft");
    }

    /** Joins the network through {@code bootstrap}; completes with the routing-table size. */
    public CompletableFuture<Integer> join(List<InetSocketAddress> bootstrap) {
        throw new UnsupportedOperationException("contract draft");
    }

    /**
     * Shares a file: adds it to the store, signs its manifest, and returns at once; announcing
     * and publishing the manifest continue in the background ({@link PutResult#announced()}).
     */
    public PutResult put(Path file, PutOptions options) throws IOException {
        throw new UnsupportedOperationException("contract draft");
    }

    /** Starts fetching {@code id} into {@code destination}; follow it through the returned task. */
    public GetTask get(ContentId id, Path destination, GetOptions options) {
        throw new UnsupportedOperationException("contract draft");
    }

    /** What the node is and holds now. */
    public NodeStatus status() {
        throw new UnsupportedOperationException("contract draft");
    }

    /** Live DHT contacts. */
    public CompletableFuture<List<DhtContact>> peers() {
        throw new UnsupportedOperationException("contract draft");
    }

    /** What this node shares (complete files), with their manifests' names. */
    public List<SharedFile> shared() {
        throw new UnsupportedOperationException("contract draft");
    }

    /** Stops sharing {@code id}; true if it was shared. A referenced file on disk is left alone. */
    public boolean remove(ContentId id) throws IOException {
        throw new UnsupportedOperationException("contract draft");
    }

    /** Who holds {@code id}, according to the DHT. */
    public CompletableFuture<List<InetSocketAddress>> providers(ContentId id) {
        throw new UnsupportedOperationException("contract draft");
    }

    /** Stops everything; partial downloads are saved for a later resume. Idempotent. */
    @Override
    public void close() {
        throw new UnsupportedOperationException("contract draft");
    }
}
