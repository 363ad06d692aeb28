package org.kadshare.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.kadshare.storage.internal.WriteFaults;

/** Write seam for tests: counts every write and fails the ones a predicate picks as a full disk would. */
final class FaultyDisk implements WriteFaults {
    private final List<Path> writes = new ArrayList<>();
    private volatile Predicate<Path> failing = path -> false;

    @Override
    public synchronized void beforeWrite(Path file, long sizeBytes) throws IOException {
        if (failing.test(file)) {
            throw new IOException(file + ": No space left on device");
        }
        writes.add(file);
    }

    void failWritesTo(Predicate<Path> which) {
        failing = which;
    }

    void heal() {
        failing = path -> false;
    }

    synchronized long writesTo(String fileName) {
        return writes.stream().filter(p -> p.getFileName().toString().equals(fileName)).count();
    }
}
