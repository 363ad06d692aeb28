package org.kadshare.overlay.node;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.kadshare.overlay.dht.DhtContact;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing table's contacts saved in {@code <dataDir>/contacts}, one {@code ip port} per line,
 * live contacts first, at most {@link #MAX_CONTACTS}; on restart they are extra bootstrap
 * candidates, so a node rejoins without being given a bootstrap address. A line that does not
 * parse is skipped; the file is replaced atomically.
 */
final class ContactSnapshot {
    static final String FILE_NAME = "contacts";
    static final int MAX_CONTACTS = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ContactSnapshot.class);
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private final Path file;

    ContactSnapshot(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    void save(List<DhtContact> contacts) throws IOException {
        List<DhtContact> ordered = new ArrayList<>(contacts.stream().filter(DhtContact::live).toList());
        contacts.stream().filter(c -> !c.live()).forEach(ordered::add);
        StringBuilder text = new StringBuilder();
        for (DhtContact c : ordered.subList(0, Math.min(MAX_CONTACTS, ordered.size()))) {
            text.append(c.address().getAddress().getHostAddress()).append(' ').append(c.address().getPort())
                    .append('\n');
        }
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    List<InetSocketAddress> load() {
        List<String> lines;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                LOG.warn("Ignoring {}: larger than {} bytes", file, MAX_FILE_BYTES);
                return List.of();
            }
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}", file, e.getMessage());
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.strip().split(" ");
            if (parts.length != 2 || out.size() >= MAX_CONTACTS) {
                continue;
            }
            try {
                int port = Integer.parseInt(parts[1]);
                if (port >= 1 && port <= 65_535 && parts[0].matches("[0-9.]+|[0-9a-fA-F:]+")) {
                    out.add(new InetSocketAddress(InetAddress.getByName(parts[0]), port));
                }
            } catch (NumberFormatException | UnknownHostException e) {
                LOG.debug("Skipping contact line {}", line);
            }
        }
        return out;
    }
}
