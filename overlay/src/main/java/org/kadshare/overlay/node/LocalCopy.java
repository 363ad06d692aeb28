package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.MerkleTree;
import org.kadshare.storage.StorageFullException;
import org.kadshare.storage.StoredFile;

/**
 * Serves a {@code get} of content the node already holds, without the network: the bytes are read
 * out of the store span by span ({@link BlockStore#readSpan} re-hashes every leaf it reads against
 * the ID's leaf layer, so a file changed behind the store's back fails instead of being copied),
 * written to a temporary file beside the destination, forced, and published by a hard link that
 * never replaces an existing file (or a rename when asked to overwrite).
 */
final class LocalCopy {
    /** Spans of 2^6 leaves: 1 MiB per read. */
    private static final int SPAN_HEIGHT = 6;

    private LocalCopy() {
    }

    static void copy(BlockStore store, StoredFile held, Path destination, boolean overwrite) throws IOException {
        long length = held.lengthBytes();
        int height = Math.min(SPAN_HEIGHT, MerkleTree.treeHeight(length));
        long spans = (MerkleTree.leafCount(length) + (1L << height) - 1) >>> height;
        Path temp = destination.resolveSibling("." + destination.getFileName() + "."
                + held.id().toHex().substring(0, 16) + ".copy");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                for (long j = 0; j < spans; j++) {
                    ByteBuffer data = ByteBuffer.wrap(store.readSpan(held.id(), height, j).data());
                    while (data.hasRemaining()) {
                        out.write(data);
                    }
                }
                out.force(true);
            }
            publish(temp, destination, overwrite);
        } catch (IOException e) {
            throw StorageFullException.ifNoSpace(e, "copying " + held.id() + " to " + destination, destination);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void publish(Path temp, Path destination, boolean overwrite) throws IOException {
        if (overwrite) {
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try {
            Files.createLink(destination, temp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (Files.exists(destination)) {
                throw new FileAlreadyExistsException(destination.toString());
            }
            Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
