package org.kadshare.overlay.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import org.kadshare.overlay.dht.NodeId;

/**
 * The node's DHT ID, kept in {@code <dataDir>/node-id} as 40 hex digits and a newline, so a
 * restarted node keeps its place in the keyspace and in other nodes' routing tables.
 */
final class NodeIdFile {
    static final String FILE_NAME = "node-id";

    private NodeIdFile() {
    }

    /** The stored ID, or a new random one written first (atomically). */
    static NodeId loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                return NodeId.parseHex(text);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + " does not hold a node ID (40 hex digits): " + e.getMessage(), e);
            }
        } catch (NoSuchFileException e) {
            NodeId id = NodeId.random(new SecureRandom());
            Path temp = dataDir.resolve(FILE_NAME + ".tmp");
            Files.writeString(temp, id.toHex() + "\n", StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            return id;
        }
    }
}
