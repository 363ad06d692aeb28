package org.kadshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.CollectionBuilder;
import org.kadshare.storage.Keywords;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.MediaTypes;
import org.kadshare.storage.NodeIdentity;
import org.kadshare.storage.StoreConfig;
import org.kadshare.storage.StoredFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code node put <file>}: adds a file to the local store (by reference unless {@code --copy}),
 * signs its manifest with the node's key, and prints the content ID on stdout. A folder is shared
 * as a collection ({@link CollectionBuilder}): each file on its own, then the collection, whose ID
 * is printed. {@code --tag} words are filed as search words besides the name's, and kept with the
 * share so every later start publishes them again.
 */
@Command(name = "put", description = "Share a file or a folder: add it to the local store, sign its manifest,"
        + " print its ID.")
final class PutCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Parameters(index = "0", paramLabel = "<file>", description = "The file or folder to share.")
    Path file;

    @Option(names = "--copy", description = "Keep a copy in the store instead of a reference to the file.")
    boolean copy;

    @Option(names = "--name", paramLabel = "<name>", description = "Name in the manifest (default: the file's name).")
    String name;

    @Option(names = "--type", paramLabel = "<media-type>",
            description = "Media type in the manifest (default: guessed from the name).")
    String mediaType;

    @Option(names = "--tag", paramLabel = "<word>",
            description = "Also file it under this search word (repeatable; for a folder, the collection; at most "
                    + Keywords.MAX_WORDS + " tag words).")
    List<String> tags = new ArrayList<>();

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() throws Exception {
        List<String> tagWords;
        try {
            tagWords = Keywords.tags(tags);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "cannot tag " + file + ": " + e.getMessage());
        }
        boolean folder = Files.isDirectory(file);
        Path input = folder ? InputFile.requireFolder(file) : InputFile.require(file);
        Path dataDir = node.dataDir();
        Optional<ControlClient> running = Files.isDirectory(dataDir) ? RunningNode.find(dataDir) : Optional.empty();
        if (running.isPresent()) {
            return viaNode(running.get(), input, folder, tagWords);
        }
        Path dir = DataDirs.prepare(node.dataDir());
        NodeIdentity identity = NodeIdentity.loadOrCreate(dir);
        LocalManifests manifests = LocalManifests.open(DataDirs.manifests(dir));
        CollectionBuilder.Shared shared;
        try (NodeLock lock = NodeLock.acquire(dir);
                BlockStore store = BlockStore.open(DataDirs.store(dir), StoreConfig.defaults())) {
            CollectionBuilder.Sharer sharer = (f, n, t, c) -> shareOffline(store, identity, manifests, f, n, t, c);
            try {
                shared = folder ? CollectionBuilder.share(input, name, copy, dir.resolve("collections"), sharer)
                        : sharer.share(input, name, mediaType, copy);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, "cannot share " + input + ": " + e.getMessage());
            }
            manifests.saveTags(shared.stored().id(), tagWords);
        }
        Manifest manifest = shared.manifest();
        Messages.info("shared " + manifest.name() + (folder ? "/" : "") + " ("
                + Messages.bytes(shared.stored().lengthBytes())
                + ", " + manifest.mediaType() + (copy ? ", copied into the store" : ", by reference")
                + "); the next `node join` announces it");
        if (json.json) {
            System.out.println(Json.write(NodeJson.file(shared.stored(), manifest.name(), manifest.mediaType())));
        } else {
            System.out.println(shared.stored().id().toHex());
        }
        return ExitCode.OK;
    }

    /** Adds one file to the store and signs and keeps its manifest, without a running node. */
    private static CollectionBuilder.Shared shareOffline(BlockStore store, NodeIdentity identity,
            LocalManifests manifests, Path input, String givenName, String givenType, boolean copyIn)
            throws java.io.IOException {
        String manifestName = givenName != null ? givenName : input.getFileName().toString();
        String type = givenType != null ? givenType.toLowerCase(java.util.Locale.ROOT) : MediaTypes.guess(manifestName);
        Messages.info("hashing " + input + " (" + Messages.bytes(input.toFile().length()) + ")");
        StoredFile stored = store.add(input, copyIn ? AddMode.COPY : AddMode.REFERENCE);
        Manifest manifest;
        try {
            manifest = Manifest.sign(stored.id(), stored.lengthBytes(), manifestName, type,
                    Instant.now().getEpochSecond(), identity);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "cannot describe " + input + " in a manifest: " + e.getMessage()
                    + " (use --name / --type)");
        }
        manifests.save(manifest);
        return new CollectionBuilder.Shared(stored, manifest);
    }

    /** What the put says of its announce: how many nodes took the holder record, if it ended in time. */
    static String announced(OptionalInt nodes) {
        if (nodes.isEmpty()) {
            return "announcing it";
        }
        int n = nodes.getAsInt();
        return n == 0 ? "no node took its holder record yet (none answered): it is announced again as the node meets"
                + " peers" : "announced to " + n + (n == 1 ? " node" : " nodes");
    }

    private int viaNode(ControlClient client, Path input, boolean folder, List<String> tagWords) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", input.toString());
        body.put("copy", copy);
        if (name != null) {
            body.put("name", name);
        }
        if (mediaType != null) {
            body.put("type", mediaType.toLowerCase(java.util.Locale.ROOT));
        }
        if (!tagWords.isEmpty()) {
            body.put("tags", tagWords);
        }
        Messages.info("hashing " + input
                + (folder ? " (a folder)" : " (" + Messages.bytes(input.toFile().length()) + ")")
                + " in the running node");
        JsonObject r = RunningNode.call(() -> client.post("/v1/put", body));
        Messages.info("shared " + r.optionalString("name").orElse("") + (folder ? "/" : "") + " ("
                + Messages.bytes(r.longValue("lengthBytes")) + ", " + r.optionalString("mediaType").orElse("")
                + (copy ? ", copied into the store" : ", by reference") + "); "
                + announced(r.has("announcedTo") ? OptionalInt.of((int) r.longValue("announcedTo"))
                        : OptionalInt.empty()) + (folder ? ", its files next, a few a second" : ""));
        System.out.println(json.json ? Json.write(r.fields()) : r.string("id"));
        return ExitCode.OK;
    }
}
