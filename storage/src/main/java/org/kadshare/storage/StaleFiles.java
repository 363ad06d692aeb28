package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.kadshare.storage.internal.AtomicFiles;
import org.kadshare.storage.internal.ChangeStamp;
import org.kadshare.storage.internal.EntryRecord;
import org.kadshare.storage.internal.EntryRecordCodec;
import org.kadshare.storage.internal.WriteFaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stale-file checks of a {@link BlockStore}: a complete file is compared with the snapshot
 * taken when it was hashed (size, last-modified time, file key, ctime: one {@code stat}, nothing is
 * read) before it is read or served, and all of them on {@link #checkAll}. A file found changed or
 * gone is marked stale, persistently (its entry record is rewritten), loses its leaf trust and
 * cached leaves, and the listener hears of it once. Changes to the entries are made under the
 * store's monitor, as the store's own are.
 */
final class StaleFiles {
    /** The store's log: what a user reads about a file found changed names the store. */
    private static final Logger LOG = LoggerFactory.getLogger(BlockStore.class);

    private final Object storeLock;
    private final Map<ContentId, EntryRecord> entries;
    private final Function<ContentId, Path> entryFile;
    private final WriteFaults faults;
    private final Consumer<ContentId> distrust;
    private final HotBlockCache cache;
    private volatile Consumer<ContentId> listener = id -> { };

    /**
     * Checks for the store whose monitor is {@code storeLock}, whose entries are {@code entries}
     * (record files at {@code entryFile}), that drops the leaf trust of a file with
     * {@code distrust}.
     */
    StaleFiles(Object storeLock, Map<ContentId, EntryRecord> entries, Function<ContentId, Path> entryFile,
               WriteFaults faults, Consumer<ContentId> distrust, HotBlockCache cache) {
        this.storeLock = storeLock;
        this.entries = entries;
        this.entryFile = entryFile;
        this.faults = faults;
        this.distrust = distrust;
        this.cache = cache;
    }

    /** See {@link BlockStore#onStale}. */
    void onStale(Consumer<ContentId> listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** See {@link BlockStore#checkAll}: checks the files {@code ids} that are not stale yet. */
    List<ContentId> checkAll(List<ContentId> ids) {
        List<ContentId> found = new ArrayList<>();
        for (ContentId id : ids) {
            EntryRecord record = entries.get(id);
            if (record == null || record.stale()) {
                continue;
            }
            try {
                check(record);
            } catch (ContentChangedException e) {
                found.add(id);
            } catch (IOException e) {
                LOG.warn("Could not check {} ({}): {}", id, record.dataPath(), e.getMessage());
            }
        }
        return found;
    }

    /**
     * The file's change stamp now, if it still matches the snapshot of {@code record}.
     *
     * @throws ContentChangedException if it changed or vanished (it is now marked stale)
     */
    ChangeStamp check(EntryRecord record) throws IOException {
        ChangeStamp now;
        try {
            now = ChangeStamp.of(record.dataPath());
        } catch (NoSuchFileException e) {
            throw markStale(record, "it was deleted");
        }
        String change = record.snapshot().differenceFrom(now.snapshot());
        if (change != null) {
            throw markStale(record, change);
        }
        return now;
    }

    /**
     * Marks {@code record}'s file stale because of {@code what} (unless it is already) and returns
     * the exception that says so, for the caller to throw.
     */
    ContentChangedException markStale(EntryRecord record, String what) {
        ContentChangedException changed = new ContentChangedException(record.id(), record.dataPath(), what);
        boolean found = false;
        synchronized (storeLock) {
            EntryRecord current = entries.get(record.id());
            if (current != null && !current.stale()) {
                found = true;
                EntryRecord stale = current.asStale();
                entries.put(record.id(), stale);
                try {
                    AtomicFiles.write(entryFile.apply(record.id()), EntryRecordCodec.encode(stale), faults);
                } catch (IOException e) {
                    LOG.warn("Could not persist that {} is stale (it stays stale in memory): {}", record.id(),
                            e.getMessage());
                }
            }
        }
        distrust.accept(record.id());
        cache.invalidate(record.id());
        if (found) {
            LOG.warn("{}; no longer serving it (`node refresh` hashes it again)", changed.getMessage());
            try {
                listener.accept(record.id());
            } catch (RuntimeException e) {
                LOG.warn("The listener for stale files failed on {}: {}", record.id(), e.toString());
            }
        }
        return changed;
    }
}
