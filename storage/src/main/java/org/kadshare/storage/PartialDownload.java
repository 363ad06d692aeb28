package org.kadshare.storage;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.kadshare.storage.internal.AtomicFiles;
import org.kadshare.storage.internal.CorruptRecordException;
import org.kadshare.storage.internal.DiskErrors;
import org.kadshare.storage.internal.LeafBitfield;
import org.kadshare.storage.internal.LeafLayerCodec;
import org.kadshare.storage.internal.NodeHashing;
import org.kadshare.storage.internal.PartialStateCodec;
import org.kadshare.storage.internal.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A download in progress: a sparse data file of the final length, the verified leaf-hash layer,
 * and a state record of which leaves are held, in {@code <store>/partial/<id-hex>/}.
 *
 * <p>Design note. The invariant is that the state record never claims a leaf whose bytes are not on
 * disk. Bytes offered for a span are hashed leaf by leaf against the layer before anything is
 * written; accepted bytes are written and marked held in memory; the record (checksummed, replaced
 * atomically) is rewritten from memory when the user asks ({@link #saveStateIfUnsaved}: the
 * downloader does by a rule of time and bytes), every {@link StoreConfig#stateFlushEverySpans()}
 * spans if that is set, on close and on completion, and every rewrite first forces the data file,
 * so one fsync covers many spans (forcing after every span cost a sync per 16 KiB span from a slow
 * peer, and each force costs the writing thread CPU as the data grows). A crash therefore loses at
 * most the spans since the last record, which are then simply missing. Leaves held in memory but not yet
 * forced are served from the file, re-hashed like any other. Where the file system takes direct
 * writes, the whole blocks of new leaves bypass the page cache ({@link UncachedWriter}: the kernel's
 * copy into fresh cache pages was most of a getter's disk CPU); a file's last bytes, and everything
 * after a direct write failed, go through the page cache. Both are forced alike. A record that fails its checks,
 * or belongs to other content, is discarded and the held leaves are recovered by re-hashing the
 * data file leaf by leaf. {@link #complete} forces the data file and publishes it at its destination
 * by atomic rename: every leaf was hashed against the layer before it was written, and the layer
 * hashes to the ID, so the held leaves already prove the whole file. With
 * {@link StoreConfig#rereadOnComplete()} it also reads and hashes the whole file once more against
 * the ID first, which catches bytes damaged on the local disk after they were verified.
 *
 * <p>Thread-safe: spans are verified concurrently, written one at a time.
 */
public final class PartialDownload implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PartialDownload.class);
    private static final int L = MerkleTree.LEAF_SIZE_BYTES;

    private final BlockStore store;
    private final Path dir;
    private final Path dataFile;
    /** Where {@link #complete} puts the data, named before it moves it; read when the data file is gone. */
    private volatile Path publishedAt;
    private final Path stateFile;
    private final MerkleTree tree;
    private final LeafBitfield held;
    private RandomAccessFile data;
    /** Whole blocks of new leaves go through here, around the page cache; null where that is not to be had. */
    private UncachedWriter uncached;
    private int unsavedSpans;
    private boolean closed;

    private PartialDownload(BlockStore store, Path dir, MerkleTree tree, RandomAccessFile data, LeafBitfield held) {
        this.store = store;
        this.dir = dir;
        this.dataFile = dir.resolve("data");
        this.stateFile = dir.resolve("state");
        this.tree = tree;
        this.data = data;
        this.held = held;
        this.uncached = store.config().directWrites() ? UncachedWriter.open(dataFile, L).orElse(null) : null;
    }

    /** Whether whole blocks of new leaves are written around the page cache ({@link StoreConfig#directWrites()}). */
    synchronized boolean writesAroundThePageCache() {
        return uncached != null;
    }

    /** Opens or creates the partial download in {@code dir} of the content {@code tree} describes. */
    static PartialDownload open(BlockStore store, Path dir, MerkleTree tree) throws IOException {
        Files.createDirectories(dir);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, "*" + AtomicFiles.TEMP_SUFFIX)) {
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }
        ContentId id = tree.contentId();
        if (loadTree(dir, id).isEmpty()) {
            // Not forced: this runs before a download's first span, and the layer needs no
            // durability of its own. It is checked against the ID whenever it is read, and a layer
            // that hashes to the ID is the only one there is, so a layer a crash damaged is
            // discarded and fetched again (the held leaves, in the forced state file, stay held).
            byte[] leaves = tree.leafHashes(0, Math.toIntExact(tree.leafCount()));
            AtomicFiles.writeUnforced(dir.resolve("leaves"), LeafLayerCodec.encode(id, tree.lengthBytes(), leaves),
                    store.faults());
        }
        Path dataFile = dir.resolve("data");
        boolean hadData = Files.exists(dataFile);
        RandomAccessFile data = new RandomAccessFile(dataFile.toFile(), "rw");
        PartialDownload partial;
        try {
            if (data.length() != tree.lengthBytes()) {
                data.setLength(tree.lengthBytes());
            }
            partial = new PartialDownload(store, dir, tree, data,
                    new LeafBitfield(tree.leafCount()));
        } catch (IOException | RuntimeException e) {
            data.close();
            throw DiskErrors.classify(e instanceof IOException io ? io : new IOException(e), "creating " + dataFile,
                    dataFile);
        }
        try {
            partial.loadState(hadData);
        } catch (IOException | RuntimeException e) {
            partial.closeUncached();
            data.close();
            throw e;
        }
        return partial;
    }

    /** The verified tree of the partial download in {@code dir}, or empty if its leaf layer is missing or bad. */
    static Optional<MerkleTree> loadTree(Path dir, ContentId id) {
        Path file = dir.resolve("leaves");
        try {
            LeafLayerCodec.Decoded layer = LeafLayerCodec.decode(Files.readAllBytes(file), file.toString());
            MerkleTree tree = MerkleTree.fromLeafHashes(layer.lengthBytes(), layer.leafHashes());
            if (!tree.contentId().equals(id)) {
                throw new CorruptRecordException(file + " does not hash to " + id);
            }
            return Optional.of(tree);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Discarding leaf layer {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    private void loadState(boolean hadData) throws IOException {
        String what = stateFile.toString();
        if (!hadData) {
            // A state record without its data file (a crash after complete() moved the data
            // to its destination, before the directory was deleted) claims leaves whose bytes are
            // gone: nothing is held, whatever it says.
            if (Files.exists(stateFile)) {
                LOG.warn("{} has no data file; the download starts again from nothing", dir);
            }
            saveState();
            return;
        }
        try {
            byte[] bytes = Files.readAllBytes(stateFile);
            LeafBitfield loaded = PartialStateCodec.decode(bytes, id(), lengthBytes(), tree.leafCount(), what);
            for (long leaf = 0; leaf < tree.leafCount(); leaf++) {
                if (loaded.isHeld(leaf)) {
                    held.set(leaf);
                }
            }
            return;
        } catch (NoSuchFileException e) {
            LOG.warn("{} is missing although data exists; recovering held leaves by re-verifying the data", what);
        } catch (CorruptRecordException e) {
            LOG.warn("Discarding state record: {}; recovering held leaves by re-verifying the data", e.getMessage());
        }
        long recovered = reverify();
        LOG.info("Recovered {} of {} leaves of {} by re-verification", recovered, tree.leafCount(), id());
        saveState();
    }

    /** Re-hashes every leaf of the data file against the layer and holds exactly those that match. */
    private long reverify() throws IOException {
        FileChannel channel = data.getChannel();
        MessageDigest md = NodeHashing.newDigest();
        byte[] leaf = new byte[L];
        for (long i = 0; i < tree.leafCount(); i++) {
            int length = leafLength(i);
            ByteBuffer buffer = ByteBuffer.wrap(leaf, 0, length);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, i * L + buffer.position()) < 0) {
                    break;
                }
            }
            if (!buffer.hasRemaining() && SpanVerifier.verifyLeaf(md, tree.leafHash(i), ByteBuffer.wrap(leaf, 0, length))) {
                held.set(i);
            } else {
                held.clear(i);
            }
        }
        return held.heldCount();
    }

    /**
     * Verifies {@code bytes} as span {@code (height, index)} and, if every leaf matches, writes
     * the leaves not held yet (forced to disk with the next state record).
     *
     * @return how many leaves became held
     * @throws SpanRejectedException if the span does not exist, is too large, has the wrong
     *     length, or any leaf does not match; nothing was written
     * @throws StorageFullException if the disk is full; the state stays consistent
     */
    public int writeSpan(int height, long index, byte[] bytes) throws IOException, SpanRejectedException {
        return writeSpan(height, index, bytes == null ? null : ByteBuffer.wrap(bytes));
    }

    /**
     * Verifies and writes span {@code (height, index)} as {@link #writeSpan(int, long, byte[])} does,
     * from the remaining bytes of {@code bytes} (read through a duplicate: its position is left
     * alone), without copying them first.
     */
    public int writeSpan(int height, long index, ByteBuffer bytes) throws IOException, SpanRejectedException {
        SpanProof span;
        try {
            span = tree.proof(height, index);
        } catch (IllegalArgumentException e) {
            throw new SpanRejectedException("span (" + height + ", " + index + ") of " + id() + ": " + e.getMessage());
        }
        if (span.spanLengthBytes() > store.config().maxSpanBytes()) {
            throw new SpanRejectedException("span (" + height + ", " + index + ") of " + id() + " is "
                    + span.spanLengthBytes() + " bytes, more than the limit of " + store.config().maxSpanBytes());
        }
        if (bytes == null || bytes.remaining() != span.spanLengthBytes()) {
            throw new SpanRejectedException("span (" + height + ", " + index + ") of " + id() + " is "
                    + span.spanLengthBytes() + " bytes, got " + (bytes == null ? "null" : bytes.remaining()));
        }
        MessageDigest md = NodeHashing.newDigest();
        for (int i = 0; i < span.leafCount(); i++) {
            long leaf = span.firstLeaf() + i;
            if (!SpanVerifier.verifyLeaf(md, tree.leafHash(leaf), leafOf(bytes, i, leafLength(leaf)))) {
                throw new SpanRejectedException("leaf " + leaf + " in span (" + height + ", " + index + ") of "
                        + id() + " does not match its hash");
            }
        }
        return writeVerified(span, bytes);
    }

    private static ByteBuffer leafOf(ByteBuffer span, int i, int length) {
        int from = span.position() + i * L;
        return span.duplicate().limit(from + length).position(from);
    }

    private synchronized int writeVerified(SpanProof span, ByteBuffer bytes) throws IOException {
        checkOpen();
        FileChannel channel = data.getChannel();
        int newlyHeld = 0;
        try {
            // Each run of leaves not held yet goes to the file in one positional write: a whole span
            // is one system call, not one per leaf.
            int i = 0;
            while (i < span.leafCount()) {
                if (held.isHeld(span.firstLeaf() + i)) {
                    i++;
                    continue;
                }
                int end = i + 1;
                while (end < span.leafCount() && !held.isHeld(span.firstLeaf() + end)) {
                    end++;
                }
                long lastLeaf = span.firstLeaf() + end - 1;
                int length = (end - 1 - i) * L + leafLength(lastLeaf);
                store.faults().beforeWrite(dataFile, length);
                ByteBuffer buffer = leafOf(bytes, i, length);
                long position = (span.firstLeaf() + i) * L;
                position += writeUncached(buffer, position);
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                newlyHeld += end - i;
                i = end;
            }
        } catch (IOException e) {
            throw DiskErrors.classify(e, "writing span (" + span.height() + ", " + span.index() + ") of " + id(),
                    dataFile);
        }
        for (int i = 0; i < span.leafCount(); i++) {
            held.set(span.firstLeaf() + i);
        }
        int saveEvery = store.config().stateFlushEverySpans();
        if (newlyHeld > 0 && ++unsavedSpans >= saveEvery && saveEvery > 0) {
            saveState();
        }
        return newlyHeld;
    }

    /**
     * Writes the whole blocks of {@code buffer} around the page cache if this download can; the
     * rest (a file's last bytes, or everything after a direct write failed) is the caller's to write.
     * A direct write that fails turns direct writes off for this download and leaves {@code buffer}
     * where it was, so the buffered write that follows writes those bytes again or reports the
     * disk's error as it would have.
     */
    private int writeUncached(ByteBuffer buffer, long position) {
        if (uncached == null) {
            return 0;
        }
        try {
            return uncached.writeBlocks(buffer, position);
        } catch (IOException e) {
            LOG.info("Writing {} through the page cache from now on: a direct write failed: {}", dataFile,
                    e.getMessage());
            closeUncached();
            return 0;
        }
    }

    private void closeUncached() {
        if (uncached != null) {
            try {
                uncached.close();
            } catch (IOException e) {
                LOG.debug("Closing the direct channel of {}: {}", dataFile, e.getMessage());
            }
            uncached = null;
        }
    }

    /**
     * Reads span {@code (height, index)} for serving to other peers while the download runs. Every
     * leaf of the span must be held; each is read from the data file and hashed against the
     * verified leaf layer before it is returned, so a byte that is not verified never leaves.
     * Safe to call concurrently with {@link #writeSpan}; it reads through its own channel, so it
     * also works after {@link #close()} while the data file exists, and after {@link #complete}
     * (from the published file: a peer connected while the download finished is still served).
     *
     * @throws java.util.NoSuchElementException if a leaf of the span is not held
     * @throws IllegalArgumentException if the span does not exist or exceeds
     *     {@link StoreConfig#maxSpanBytes()}
     * @throws ContentChangedException if the data file no longer holds a held leaf's bytes
     */
    public VerifiedSpan readSpan(int height, long index) throws IOException {
        SpanProof span = tree.proof(height, index);
        if (span.spanLengthBytes() > store.config().maxSpanBytes()) {
            throw new IllegalArgumentException("span (" + height + ", " + index + ") of " + id() + " is "
                    + span.spanLengthBytes() + " bytes, more than the limit of " + store.config().maxSpanBytes());
        }
        for (int i = 0; i < span.leafCount(); i++) {
            if (!isHeld(span.firstLeaf() + i)) {
                throw new java.util.NoSuchElementException("leaf " + (span.firstLeaf() + i) + " of " + id()
                        + " is not held yet");
            }
        }
        byte[] bytes = new byte[(int) span.spanLengthBytes()];
        if (!readInto(dataFile, span.offsetBytes(), bytes)) {
            // complete() names the published file before it moves the data there
            Path published = publishedAt;
            if (published == null || !readInto(published, span.offsetBytes(), bytes)) {
                throw new ContentChangedException(id(), published != null ? published : dataFile, "it was deleted");
            }
        }
        MessageDigest md = NodeHashing.newDigest();
        for (int i = 0; i < span.leafCount(); i++) {
            long leaf = span.firstLeaf() + i;
            if (!SpanVerifier.verifyLeaf(md, tree.leafHash(leaf), ByteBuffer.wrap(bytes, i * L, leafLength(leaf)))) {
                throw new ContentChangedException(id(), dataFile, "held leaf " + leaf + " no longer matches its hash");
            }
        }
        return new VerifiedSpan(id(), bytes, span);
    }

    /** Reads {@code bytes.length} bytes at {@code offset} of {@code file}; false if it does not exist. */
    private boolean readInto(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, java.nio.file.StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new ContentChangedException(id(), file, "it ends before byte " + (offset + bytes.length));
                }
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * {@link #saveState} if spans were accepted since the last record and the download is still
     * open. The downloader calls it by its own rule of time and bytes (a short time after a span
     * is written, and after every so many bytes), so a crash loses a bounded part of a download.
     */
    public synchronized void saveStateIfUnsaved() throws IOException {
        if (!closed && unsavedSpans > 0) {
            saveState();
        }
    }

    /** Forces the held leaves' bytes to disk, then persists which leaves are held. */
    public synchronized void saveState() throws IOException {
        try {
            data.getChannel().force(false);
        } catch (IOException e) {
            throw DiskErrors.classify(e, "forcing the data of " + id() + " to disk", dataFile);
        }
        AtomicFiles.write(stateFile, PartialStateCodec.encode(id(), lengthBytes(), held), store.faults());
        unsavedSpans = 0;
    }

    /**
     * Finishes the download: forces the data file (and, with
     * {@link StoreConfig#rereadOnComplete()}, re-hashes it whole against the ID), makes it appear at
     * {@code destination} in one atomic step, registers it in the store as a referenced complete
     * file and deletes the partial directory.
     *
     * @param overwrite whether an existing file at {@code destination} may be replaced
     * @throws IllegalStateException if leaves are still missing
     * @throws ContentMismatchException if the whole-file re-read fails; the damaged leaves are
     *     missing again and nothing appears at the destination
     * @throws FileAlreadyExistsException if the destination exists and {@code overwrite} is false
     * @throws StorageFullException if copying to another file system filled it; nothing appears
     */
    public synchronized StoredFile complete(Path destination, boolean overwrite) throws IOException {
        checkOpen();
        if (!held.isComplete()) {
            throw new IllegalStateException(id() + " is missing " + (tree.leafCount() - held.heldCount())
                    + " of " + tree.leafCount() + " leaves");
        }
        Path target = destination.toAbsolutePath();
        if (!overwrite && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(target.toString(), null,
                    "destination exists and overwriting was not asked for");
        }
        data.getChannel().force(true);
        if (store.config().rereadOnComplete()) {
            ContentDigest digest = store.hashing().hash(dataFile, (leaf, hash) -> { });
            if (!digest.id().equals(id()) || digest.lengthBytes() != lengthBytes()) {
                long stillHeld = reverify();
                saveState();
                throw new ContentMismatchException("the data of " + id() + " on disk hashes to " + digest.id()
                        + "; " + (tree.leafCount() - stillHeld) + " damaged leaves are missing again");
            }
        }
        saveState();
        closeUncached();
        data.close();
        publishedAt = target;
        try {
            Publisher.publish(dataFile, target, overwrite, store.faults());
        } catch (IOException e) {
            publishedAt = null;
            data = new RandomAccessFile(dataFile.toFile(), "rw");
            throw DiskErrors.classify(e, "publishing " + id() + " at " + target);
        }
        closed = true;
        StoredFile stored = store.registerDownloaded(tree, target);
        deleteDirectory();
        store.forgetPartial(id());
        return stored;
    }

    /** Abandons the download: closes it and deletes its directory. */
    public synchronized void discard() throws IOException {
        if (!closed) {
            closed = true;
            closeUncached();
            data.close();
        }
        deleteDirectory();
        store.forgetPartial(id());
    }

    /** The content being downloaded. */
    public ContentId id() {
        return tree.contentId();
    }

    /** Its length in bytes. */
    public long lengthBytes() {
        return tree.lengthBytes();
    }

    /** Number of leaves. */
    public long leafCount() {
        return tree.leafCount();
    }

    /** Whether leaf {@code leaf} is held (verified and on disk). */
    public synchronized boolean isHeld(long leaf) {
        return held.isHeld(leaf);
    }

    /** Number of held leaves. */
    public synchronized long heldLeafCount() {
        return held.heldCount();
    }

    /** The first missing leaf at or after {@code from}, or -1 if none is missing there. */
    public synchronized long nextMissingLeaf(long from) {
        return held.nextMissing(from);
    }

    /** Which leaves are held, packed most-significant bit first (leaf 0 in the top bit of byte 0). */
    public synchronized byte[] heldBitfield() {
        return held.pack();
    }

    /** Bytes of the file held. */
    public synchronized long bytesDone() {
        long bytes = held.heldCount() * L;
        long last = tree.leafCount() - 1;
        if (held.isHeld(last)) {
            bytes -= L - leafLength(last);
        }
        return bytes;
    }

    /** Whether every leaf is held. */
    public synchronized boolean isComplete() {
        return held.isComplete();
    }

    /** The leaf hashes, verified against the ID, as given to {@link BlockStore#startDownload}. */
    public MerkleTree tree() {
        return tree;
    }

    /** Saves the state and closes the data file; the download can be resumed later. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (unsavedSpans > 0) {
                saveState();
            }
        } finally {
            closeUncached();
            data.close();
            store.forgetPartial(id());
        }
    }

    private int leafLength(long leaf) {
        return (int) Math.min(L, lengthBytes() - leaf * L);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the partial download of " + id() + " is closed");
        }
    }

    private void deleteDirectory() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
