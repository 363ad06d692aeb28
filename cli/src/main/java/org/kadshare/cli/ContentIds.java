package org.kadshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.StoreConfig;

/**
 * Parses a content ID given on the command line: the full 64 hex digits, or a prefix of at least
 * {@link #MIN_PREFIX_DIGITS} of an ID this node knows (held complete or in part, or with a kept
 * manifest: the running node's answer, else the data directory's). A malformed, unknown or
 * ambiguous one is a usage error that says which.
 */
final class ContentIds {
    /** The help text of a {@code <hash>} parameter. */
    static final String HASH_HELP = "Content ID: 64 hex digits, or a prefix of one this node knows.";
    /** The shortest prefix accepted. */
    static final int MIN_PREFIX_DIGITS = 4;
    /** How many matches an ambiguous prefix lists. */
    static final int SHOWN_MATCHES = 5;

    private ContentIds() {
    }

    /** A full ID only. */
    static ContentId parse(String text) {
        try {
            return ContentId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "malformed hash: " + e.getMessage());
        }
    }

    /** A full ID, or the one ID this node knows that starts with {@code text}. */
    static ContentId resolve(String text, Path dataDir) {
        String s = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
        boolean hex = !s.isEmpty() && s.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        if (s.length() >= 2 * ContentId.LENGTH_BYTES || !hex) {
            return parse(text);
        }
        if (s.length() < MIN_PREFIX_DIGITS) {
            throw new CliException(ExitCode.USAGE, "malformed hash: a prefix needs at least " + MIN_PREFIX_DIGITS
                    + " hex digits, got '" + s + "'");
        }
        return unique(s, known(s, dataDir));
    }

    /** The one ID in {@code known} starting with {@code prefix}. */
    static ContentId unique(String prefix, List<ContentId> known) {
        List<ContentId> matches = known.stream().filter(id -> id.toHex().startsWith(prefix)).toList();
        if (matches.isEmpty()) {
            throw new CliException(ExitCode.USAGE, "unknown hash prefix '" + prefix + "': no content this node"
                    + " knows has an ID starting with it (give all 64 hex digits for content it has never seen)");
        }
        if (matches.size() > 1) {
            List<String> shown = matches.stream().limit(SHOWN_MATCHES).map(ContentId::toHex).toList();
            throw new CliException(ExitCode.USAGE, "ambiguous hash prefix '" + prefix + "': " + matches.size()
                    + " IDs this node knows start with it: " + String.join(", ", shown)
                    + (matches.size() > SHOWN_MATCHES ? ", ..." : "") + "; give more digits");
        }
        return matches.get(0);
    }

    private static List<ContentId> known(String prefix, Path dataDir) {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        Optional<ControlClient> running = RunningNode.find(dataDir);
        if (running.isPresent()) {
            List<ContentId> ids = new ArrayList<>();
            var reply = RunningNode.call(() -> running.get().get("/v1/ids", Map.of("prefix", prefix)));
            for (Object o : reply.list("ids")) {
                ids.add(ContentId.parse(o.toString()));
            }
            return ids;
        }
        try (NodeLock lock = NodeLock.acquire(dataDir)) {
            TreeSet<ContentId> ids = new TreeSet<>(LocalManifests.open(DataDirs.manifests(dataDir)).ids());
            if (Files.isDirectory(DataDirs.store(dataDir))) {
                try (BlockStore store = BlockStore.open(DataDirs.store(dataDir), StoreConfig.defaults())) {
                    store.list().forEach(f -> ids.add(f.id()));
                    ids.addAll(store.partialDownloads());
                }
            }
            return List.copyOf(ids);
        } catch (java.io.IOException e) {
            throw new CliException(ExitCode.IO, "cannot read the IDs known in " + dataDir + ": " + e.getMessage());
        }
    }
}
