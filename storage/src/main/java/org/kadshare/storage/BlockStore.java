package org.kadshare.storage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.kadshare.storage.internal.AtomicFiles;
import org.kadshare.storage.internal.ChangeStamp;
import org.kadshare.storage.internal.CorruptRecordException;
import org.kadshare.storage.internal.DiskErrors;
import org.kadshare.storage.internal.EntryRecord;
import org.kadshare.storage.internal.EntryRecordCodec;
import org.kadshare.storage.internal.FileSnapshot;
import org.kadshare.storage.internal.LeafTrust;
import org.kadshare.storage.internal.LeafLayerCodec;
import org.kadshare.storage.internal.NodeHashing;
import org.kadshare.storage.internal.Publisher;
import org.kadshare.storage.internal.WriteFaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files a node holds, on disk in one directory: complete files (added by reference or copied
 * in) that it serves span by span, and partial downloads that it fills span by span.
 *
 * <p>Design note. A complete file is an entry record (ID, length, mode, paths and a snapshot of
 * the served file) plus its leaf-hash layer, each written atomically with a checksum. Nothing read
 * from disk is trusted blindly: a record that fails its checks is logged and skipped, a leaf layer
 * must rebuild the tree of its ID, and a leaf read for serving is hashed and compared with that
 * layer before it leaves the store or enters the {@link HotBlockCache}, unless it is trusted: it
 * hashed correctly since the file last changed, less than {@link StoreConfig#reverifyAfterMillis()}
 * ago ({@link LeafTrust}: the file's size, mtime, inode and ctime are checked before every read; a
 * whole file hashed by {@link #add} starts trusted). {@link #serveSpan} hands out a trusted span as
 * a file range, to be sent without being read into memory. The snapshot check up front catches
 * changes cheaply; ctime catches a same-size change with a restored mtime (the trust is dropped and
 * the leaf check finds the change). A file found changed is marked stale, persistently, and is never
 * served again. See {@code docs/ARCHITECTURE.md}, "Block store", for the disk layout.
 *
 * <p>The store is the facade: {@link PartialDownloads} keeps the partial downloads (started,
 * resumed, open, on disk), {@link StaleFiles} the checks against the snapshots and the marking of
 * changed files stale.
 *
 * <p>Thread-safe: reads run concurrently; adds, removes and partial-download bookkeeping are
 * serialised on the store.
 */
public final class BlockStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockStore.class);
    private static final String ENTRY_SUFFIX = ".entry";
    private static final String LEAVES_SUFFIX = ".leaves";
    private static final long MAX_ENTRY_RECORD_BYTES = 1 << 20;
    private static final long TREE_CACHE_BYTES = 64L << 20;

    private final Path dir;
    private final Path entriesDir;
    private final Path leavesDir;
    private final Path dataDir;
    private final Path partialDir;
    private final StoreConfig config;
    private final ContentHashing hashing;
    private final WriteFaults faults;
    private final HotBlockCache cache;
    private final Map<ContentId, EntryRecord> entries = new ConcurrentHashMap<>();
    private final Cache<ContentId, MerkleTree> trees;
    private final PartialDownloads partials;
    private final Map<ContentId, LeafTrust> trust = new ConcurrentHashMap<>();
    private final Clock clock;
    private final StaleFiles stale;
    private ContentHasher hasherToClose;

    private BlockStore(Path dir, StoreConfig config, ContentHashing hashing, WriteFaults faults, Clock clock) {
        this.dir = dir;
        this.entriesDir = dir.resolve("entries");
        this.leavesDir = dir.resolve("leaves");
        this.dataDir = dir.resolve("data");
        this.partialDir = dir.resolve("partial");
        this.config = config;
        this.hashing = hashing;
        this.faults = faults;
        this.clock = clock;
        this.cache = new HotBlockCache(config.cacheSizeBytes());
        this.trees = Caffeine.newBuilder()
                .maximumWeight(TREE_CACHE_BYTES)
                .weigher((ContentId id, MerkleTree tree) -> (int) Math.min(Integer.MAX_VALUE, 64 * tree.leafCount()))
                .executor(Runnable::run)
                .build();
        this.partials = new PartialDownloads(this, partialDir);
        this.stale = new StaleFiles(this, entries, this::entryFile, faults, this::distrust, cache);
    }

    /**
     * Opens (creating if needed) the store in {@code storeDir} and loads its entries; damaged
     * records are logged and skipped, debris of interrupted writes is deleted.
     */
    public static BlockStore open(Path storeDir, StoreConfig config) throws IOException {
        return open(storeDir, config, Clock.systemUTC());
    }

    /**
     * Opens a store as {@link #open(Path, StoreConfig)} does, whose leaf trust reads the time from
     * {@code clock} (tests move it to make a file old or a trust expire).
     */
    public static BlockStore open(Path storeDir, StoreConfig config, Clock clock) throws IOException {
        ContentHasher hasher = new ContentHasher();
        try {
            BlockStore store = open(storeDir, config, hasher::hash, WriteFaults.NONE, clock);
            store.hasherToClose = hasher;
            return store;
        } catch (IOException | RuntimeException e) {
            hasher.close();
            throw e;
        }
    }

    /** Opens a store that hashes with {@code hashing} and passes every write by {@code faults}. */
    static BlockStore open(Path storeDir, StoreConfig config, ContentHashing hashing, WriteFaults faults)
            throws IOException {
        return open(storeDir, config, hashing, faults, Clock.systemUTC());
    }

    /** Opens a store as above whose leaf trust reads the time from {@code clock}. */
    static BlockStore open(Path storeDir, StoreConfig config, ContentHashing hashing, WriteFaults faults,
            Clock clock) throws IOException {
        Objects.requireNonNull(config, "config");
        BlockStore store = new BlockStore(storeDir.toAbsolutePath(), config, hashing, faults, clock);
        store.load();
        return store;
    }

    private void load() throws IOException {
        for (Path d : List.of(dir, entriesDir, leavesDir, dataDir, partialDir)) {
            Files.createDirectories(d);
        }
        for (Path d : List.of(entriesDir, leavesDir, dataDir)) {
            deleteDebris(d);
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(entriesDir, "*" + ENTRY_SUFFIX)) {
            for (Path file : files) {
                loadEntry(file);
            }
        }
    }

    private void loadEntry(Path file) {
        try {
            if (Files.size(file) > MAX_ENTRY_RECORD_BYTES) {
                throw new CorruptRecordException(file + " is larger than any entry record");
            }
            EntryRecord record = EntryRecordCodec.decode(Files.readAllBytes(file), file.toString());
            if (!file.getFileName().toString().equals(record.id().toHex() + ENTRY_SUFFIX)) {
                throw new CorruptRecordException(file + " holds the entry of " + record.id());
            }
            entries.put(record.id(), record);
            trust.put(record.id(), newTrust(record.lengthBytes()));
        } catch (IOException e) {
            LOG.warn("Skipping entry record {}: {}", file, e.getMessage());
        }
    }

    /**
     * Adds {@code file}: hashes it, persists its leaf layer and entry record, and returns the
     * entry. With {@link AddMode#COPY} the bytes are first copied into the store (temporary file,
     * forced, atomic rename) and the copy is what is hashed and served. Adding content already held
     * replaces a stale or referenced entry; a held copy is kept.
     *
     * @throws StorageFullException if the disk filled up (nothing is left behind)
     * @throws IOException if the file cannot be read or changed while being hashed
     */
    public synchronized StoredFile add(Path file, AddMode mode) throws IOException {
        Objects.requireNonNull(mode, "mode");
        Path origin = file.toAbsolutePath();
        if (mode == AddMode.REFERENCE) {
            ChangeStamp stampBefore = ChangeStamp.of(origin);
            FileSnapshot before = stampBefore.snapshot();
            MerkleTree.Builder builder = MerkleTree.builder(before.sizeBytes());
            ContentDigest digest = hashing.hash(origin, builder);
            ChangeStamp stampAfter = ChangeStamp.of(origin);
            FileSnapshot after = stampAfter.snapshot();
            String change = before.differenceFrom(after);
            if (change != null || digest.lengthBytes() != before.sizeBytes()) {
                throw new IOException(origin + " changed while it was being hashed: "
                        + (change != null ? change : "read " + digest.lengthBytes() + " bytes"));
            }
            EntryRecord existing = entries.get(digest.id());
            if (existing != null && existing.mode() == AddMode.COPY && !existing.stale()) {
                return view(existing);
            }
            StoredFile stored = persist(builder.build(), AddMode.REFERENCE, origin, origin, after);
            if (stampAfter.equals(stampBefore)) {
                trust.get(stored.id()).trustAll(stampBefore, clock.instant());
            }
            return stored;
        }
        Path temp = dataDir.resolve("incoming-" + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + AtomicFiles.TEMP_SUFFIX);
        try {
            Publisher.copyAndForce(origin, temp, faults);
            long size = Files.size(temp);
            MerkleTree.Builder builder = MerkleTree.builder(size);
            ContentDigest digest = hashing.hash(temp, builder);
            Path data = dataDir.resolve(digest.id().toHex());
            AtomicFiles.rename(temp, data);
            return persist(builder.build(), AddMode.COPY, origin, data, FileSnapshot.of(data));
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw DiskErrors.classify(e, "copying " + origin + " into the store", temp);
        }
    }

    /** Registers a finished download at {@code destination} as a referenced file. */
    synchronized StoredFile registerDownloaded(MerkleTree tree, Path destination) throws IOException {
        Path path = destination.toAbsolutePath();
        return persist(tree, AddMode.REFERENCE, path, path, FileSnapshot.of(path));
    }

    private StoredFile persist(MerkleTree tree, AddMode mode, Path origin, Path data, FileSnapshot snapshot)
            throws IOException {
        ContentId id = tree.contentId();
        byte[] leaves = tree.leafHashes(0, Math.toIntExact(tree.leafCount()));
        AtomicFiles.write(leavesFile(id), LeafLayerCodec.encode(id, tree.lengthBytes(), leaves), faults);
        EntryRecord record = new EntryRecord(id, tree.lengthBytes(), mode, origin, data, snapshot, false);
        AtomicFiles.write(entryFile(id), EntryRecordCodec.encode(record), faults);
        entries.put(id, record);
        trust.put(id, newTrust(tree.lengthBytes()));
        trees.put(id, tree);
        cache.invalidate(id);
        return view(record);
    }

    /** The entry of {@code id}, if the store holds that content complete (stale or not). */
    public Optional<StoredFile> get(ContentId id) {
        return Optional.ofNullable(entries.get(id)).map(BlockStore::view);
    }

    /** All complete entries, ordered by ID. */
    public List<StoredFile> list() {
        return entries.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).map(BlockStore::view).toList();
    }

    /**
     * Checks every complete file that is not stale yet against the snapshot taken when it was
     * hashed (size, last-modified time, file key: one {@code stat} each, nothing is read) and marks
     * those that changed or vanished stale, as a refused read would.
     *
     * @return the IDs found stale now, ordered
     */
    public List<ContentId> checkAll() {
        return stale.checkAll(list().stream().map(StoredFile::id).toList());
    }

    /**
     * Calls {@code listener} with the ID of each complete file the moment it is found changed and
     * marked stale (by a read, a serve or {@link #checkAll}), once per file, on the thread that
     * found it. Replaces the previous listener.
     */
    public void onStale(Consumer<ContentId> listener) {
        stale.onStale(listener);
    }

    /**
     * Forgets {@code id}: deletes its record and leaf layer, and the store's copy if it made one
     * (a referenced file is left alone).
     *
     * @return whether the store held it
     */
    public synchronized boolean remove(ContentId id) throws IOException {
        EntryRecord record = entries.remove(id);
        if (record == null) {
            return false;
        }
        Files.deleteIfExists(entryFile(id));
        AtomicFiles.forceDirectory(entriesDir);
        Files.deleteIfExists(leavesFile(id));
        if (record.mode() == AddMode.COPY) {
            Files.deleteIfExists(record.dataPath());
        }
        trees.invalidate(id);
        trust.remove(id);
        cache.invalidate(id);
        return true;
    }

    /**
     * Reads span {@code (height, index)} of a complete file for serving, with its proof. Every
     * leaf returned matched the stored leaf layer when read (or came from the cache, which holds
     * only such leaves).
     *
     * @throws NoSuchElementException if the store does not hold {@code id} complete
     * @throws IllegalArgumentException if the span does not exist or exceeds
     *     {@link StoreConfig#maxSpanBytes()}
     * @throws ContentChangedException if the file changed or vanished (it is now marked stale)
     */
    public VerifiedSpan readSpan(ContentId id, int height, long index) throws IOException {
        EntryRecord record = record(id);
        MerkleTree tree = tree(record);
        SpanProof proof = proof(tree, height, index);
        return readVerified(record, tree, proof, stale.check(record), true);
    }

    /**
     * Span {@code (height, index)} of a complete file, ready to send: as a range of the served
     * file if every leaf of it is trusted and the file shows no change since (checked now), else
     * read and verified as by {@link #readSpan}, after which its leaves are trusted.
     *
     * @throws NoSuchElementException if the store does not hold {@code id} complete
     * @throws IllegalArgumentException if the span does not exist or exceeds
     *     {@link StoreConfig#maxSpanBytes()}
     * @throws ContentChangedException if the file changed or vanished (it is now marked stale)
     */
    public ServableSpan serveSpan(ContentId id, int height, long index) throws IOException {
        EntryRecord record = record(id);
        MerkleTree tree = tree(record);
        SpanProof proof = proof(tree, height, index);
        ChangeStamp stamp = stale.check(record);
        LeafTrust leaves = trust.get(id);
        if (leaves != null && leaves.covers(proof.firstLeaf(), proof.leafCount(), stamp, clock.instant())) {
            return new ServableSpan.InFile(id, proof, record.dataPath());
        }
        return new ServableSpan.Checked(readVerified(record, tree, proof, stamp, false));
    }

    /**
     * Drops the trust in every leaf of {@code id} (for instance after a peer reported a bad span
     * from it): each is hashed again on its next read.
     */
    public void distrust(ContentId id) {
        LeafTrust leaves = trust.get(id);
        if (leaves != null) {
            leaves.forget();
        }
    }

    private EntryRecord record(ContentId id) throws ContentChangedException {
        EntryRecord record = entries.get(id);
        if (record == null) {
            throw new NoSuchElementException("the store holds no complete file " + id);
        }
        if (record.stale()) {
            throw new ContentChangedException(id, record.dataPath(), "it was found changed earlier");
        }
        return record;
    }

    private SpanProof proof(MerkleTree tree, int height, long index) {
        SpanProof proof = tree.proof(height, index);
        if (proof.spanLengthBytes() > config.maxSpanBytes()) {
            throw new IllegalArgumentException("span (" + height + ", " + index + ") is " + proof.spanLengthBytes()
                    + " bytes, more than the limit of " + config.maxSpanBytes());
        }
        return proof;
    }

    /**
     * Reads span {@code proof} from the file, each leaf from the hot-block cache or hashed against
     * the tree, and trusts the leaves it hashed. Leaves that read earned trust are cached only if
     * {@code cacheTrusted}: a serve sends them from the file next time ({@link #serveSpan}), so
     * copying them into the cache would only push out leaves that are hashed on every read.
     */
    private VerifiedSpan readVerified(EntryRecord record, MerkleTree tree, SpanProof proof, ChangeStamp stamp,
                                      boolean cacheTrusted) throws IOException {
        ContentId id = record.id();
        LeafTrust leaves = trust.get(id);
        Instant now = clock.instant();
        byte[] data = new byte[(int) proof.spanLengthBytes()];
        FileChannel channel = null;
        MessageDigest md = null; // one per span: libcrypto's holds native memory until it is collected
        try {
            for (int i = 0; i < proof.leafCount(); i++) {
                long leaf = proof.firstLeaf() + i;
                int from = i * MerkleTree.LEAF_SIZE_BYTES;
                int length = Math.min(MerkleTree.LEAF_SIZE_BYTES, data.length - from);
                byte[] cached = cache.get(id, leaf);
                if (cached != null && cached.length == length) {
                    System.arraycopy(cached, 0, data, from, length);
                    continue;
                }
                if (channel == null) {
                    channel = FileChannel.open(record.dataPath(), StandardOpenOption.READ);
                }
                readFully(channel, data, from, length, proof.offsetBytes() + from, record);
                if (md == null) {
                    md = NodeHashing.newDigest();
                }
                if (!SpanVerifier.verifyLeaf(md, tree.leafHash(leaf), ByteBuffer.wrap(data, from, length))) {
                    throw stale.markStale(record, "leaf " + leaf + " no longer matches its hash");
                }
                // read from the file after the stamp: only these may be trusted
                boolean trusted = leaves != null && leaves.trust(leaf, 1, stamp, now);
                if (cacheTrusted || !trusted) {
                    cache.putVerified(id, leaf, data, from, length);
                }
            }
        } catch (NoSuchFileException e) {
            throw stale.markStale(record, "it was deleted");
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
        return new VerifiedSpan(id, data, proof);
    }

    private LeafTrust newTrust(long lengthBytes) {
        return new LeafTrust(MerkleTree.leafCount(lengthBytes), Duration.ofMillis(config.reverifyAfterMillis()));
    }

    private void readFully(FileChannel channel, byte[] data, int from, int length, long position, EntryRecord record)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data, from, length);
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position + buffer.position() - from);
            if (n < 0) {
                throw stale.markStale(record, "it ends before byte " + (position + length));
            }
        }
    }

    /**
     * The Merkle tree of a complete file the store holds (stale or not), rebuilt from its
     * persisted leaf layer and checked against the ID; empty if the store does not hold {@code id}
     * complete.
     *
     * @throws IOException if the leaf layer cannot be read or does not hash to the ID
     */
    public Optional<MerkleTree> tree(ContentId id) throws IOException {
        EntryRecord record = entries.get(id);
        if (record == null) {
            return Optional.empty();
        }
        return Optional.of(tree(record));
    }

    private MerkleTree tree(EntryRecord record) throws IOException {
        try {
            return trees.get(record.id(), id -> {
                try {
                    return loadTree(record);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private MerkleTree loadTree(EntryRecord record) throws IOException {
        Path file = leavesFile(record.id());
        LeafLayerCodec.Decoded layer = LeafLayerCodec.decode(Files.readAllBytes(file), file.toString());
        MerkleTree tree;
        try {
            tree = MerkleTree.fromLeafHashes(record.lengthBytes(), layer.leafHashes());
        } catch (IllegalArgumentException e) {
            throw new CorruptRecordException(file + ": " + e.getMessage());
        }
        if (!tree.contentId().equals(record.id())) {
            throw new CorruptRecordException(file + " does not hash to " + record.id());
        }
        return tree;
    }

    /**
     * Starts the download of {@code id}, {@code lengthBytes} long, whose leaf-hash layer
     * {@code leafHashes} (32 bytes per leaf, in order) the caller obtained from a peer; the layer is
     * checked against the ID first. If a partial download of {@code id} exists already (open, or on
     * disk from an earlier run) it is resumed instead.
     *
     * @throws LeafLayerRejectedException if the layer does not hash to {@code id}
     */
    public synchronized PartialDownload startDownload(ContentId id, long lengthBytes, byte[] leafHashes)
            throws IOException, LeafLayerRejectedException {
        return partials.start(id, lengthBytes, leafHashes);
    }

    /**
     * Resumes the partial download of {@code id} left on disk by an earlier run, if its leaf layer
     * there is intact (it is checked against the ID).
     */
    public synchronized Optional<PartialDownload> resumeDownload(ContentId id) throws IOException {
        return partials.resume(id);
    }

    /** IDs of the partial downloads on disk, ordered. */
    public List<ContentId> partialDownloads() throws IOException {
        return partials.onDisk();
    }

    synchronized void forgetPartial(ContentId id) {
        partials.forget(id);
    }

    /** Hits, misses and size of the hot-block cache. */
    public HotCacheStats cacheStats() {
        return cache.stats();
    }

    HotBlockCache cache() {
        return cache;
    }

    StoreConfig config() {
        return config;
    }

    ContentHashing hashing() {
        return hashing;
    }

    WriteFaults faults() {
        return faults;
    }

    /** The store's directory. */
    public Path directory() {
        return dir;
    }

    /** Closes the open partial downloads (saving their state) and stops the hashing threads. */
    @Override
    public void close() throws IOException {
        List<PartialDownload> open;
        synchronized (this) {
            if (hasherToClose != null) {
                hasherToClose.close();
            }
            open = partials.open();
        }
        IOException first = null;
        for (PartialDownload partial : open) {
            try {
                partial.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private Path entryFile(ContentId id) {
        return entriesDir.resolve(id.toHex() + ENTRY_SUFFIX);
    }

    private Path leavesFile(ContentId id) {
        return leavesDir.resolve(id.toHex() + LEAVES_SUFFIX);
    }

    private static void deleteDebris(Path d) throws IOException {
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(d, "*" + AtomicFiles.TEMP_SUFFIX)) {
            for (Path temp : temps) {
                LOG.info("Deleting {}, left by an interrupted write", temp);
                Files.deleteIfExists(temp);
            }
        }
    }

    private static StoredFile view(EntryRecord r) {
        return new StoredFile(r.id(), r.lengthBytes(), r.mode(), r.origin(), r.dataPath(), r.stale());
    }
}
