package org.kadshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.kadshare.storage.AddMode;
import org.kadshare.storage.BlockStore;
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
 * signs its manifest with the node's key, and prints the content ID on stdout.
 */
@Command(name = "put", description = "Share a file: add it to the local store, sign its manifest, print its ID.")
final class PutCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Parameters(index = "0", paramLabel = "<file>", description = "The file to share.")
    Path file;

    @Option(names = "--copy", description = "Keep a copy in the store instead of a reference to the file.")
    boolean copy;

    @Option(names = "--name", paramLabel = "<name>", description = "Name in the manifest (default: the file's name).")
    String name;

    @Option(names = "--type", paramLabel = "<media-type>",
            description = "Media type in the manifest (default: guessed from the name).")
    String mediaType;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() throws Exception {
        Path input = InputFile.require(file);
        Path dataDir = node.dataDir();
        Optional<ControlClient> running = Files.isDirectory(dataDir) ? RunningNode.find(dataDir) : Optional.empty();
        if (running.isPresent()) {
            return viaNode(running.get(), input);
        }
        String manifestName = name != null ? name : input.getFileName().toString();
        String type = mediaType != null ? mediaType.toLowerCase(java.util.Locale.ROOT) : MediaTypes.guess(manifestName);
        Path dir = DataDirs.prepare(node.dataDir());
        NodeIdentity identity = NodeIdentity.loadOrCreate(dir);

        Messages.info("hashing " + input + " (" + Messages.bytes(input.toFile().length()) + ")");
        StoredFile stored;
        try (BlockStore store = BlockStore.open(DataDirs.store(dir), StoreConfig.defaults())) {
            stored = store.add(input, copy ? AddMode.COPY : AddMode.REFERENCE);
        }
        Manifest manifest;
        try {
            manifest = Manifest.sign(stored.id(), stored.lengthBytes(), manifestName, type,
                    Instant.now().getEpochSecond(), identity);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, "cannot describe the file in a manifest: " + e.getMessage()
                    + " (use --name / --type)");
        }
        LocalManifests.open(DataDirs.manifests(dir)).save(manifest);
        Messages.info("shared " + manifestName + " (" + Messages.bytes(stored.lengthBytes()) + ", " + type
                + (copy ? ", copied into the store" : ", by reference") + "); the next `node join` announces it");
        if (json.json) {
            System.out.println(Json.write(NodeJson.file(stored, manifestName, type)));
        } else {
            System.out.println(stored.id().toHex());
        }
        return ExitCode.OK;
    }

    private int viaNode(ControlClient client, Path input) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", input.toString());
        body.put("copy", copy);
        if (name != null) {
            body.put("name", name);
        }
        if (mediaType != null) {
            body.put("type", mediaType.toLowerCase(java.util.Locale.ROOT));
        }
        Messages.info("hashing " + input + " (" + Messages.bytes(input.toFile().length()) + ") in the running node");
        JsonObject r = RunningNode.call(() -> client.post("/v1/put", body));
        Messages.info("shared " + r.optionalString("name").orElse("") + " (" + Messages.bytes(r.longValue("lengthBytes"))
                + ", " + r.optionalString("mediaType").orElse("") + (copy ? ", copied into the store" : ", by reference")
                + "); announcing it");
        System.out.println(json.json ? Json.write(r.fields()) : r.string("id"));
        return ExitCode.OK;
    }
}
