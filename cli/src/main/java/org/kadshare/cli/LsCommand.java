package org.kadshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.cli.control.JsonObject;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.LocalManifests;
import org.kadshare.overlay.node.SharedFile;
import org.kadshare.storage.NodeIdentity;
import org.kadshare.storage.StoreConfig;
import org.kadshare.storage.StoredFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code node ls}: the files this node shares: ID, size, name (chosen among the kept manifests as a
 * get would; a shared folder ends in {@code /}). Works with or without a running node.
 */
@Command(name = "ls", description = "List the files this node shares.")
final class LsCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() throws Exception {
        Path dir = node.dataDir();
        Optional<ControlClient> running = Files.isDirectory(dir) ? RunningNode.find(dir) : Optional.empty();
        JsonObject reply = running.isPresent()
                ? RunningNode.call(() -> running.get().get("/v1/ls", Map.of()))
                : new JsonObject(offline(dir));
        if (json.json) {
            System.out.println(Json.write(reply.fields()));
            return ExitCode.OK;
        }
        for (Object o : reply.list("files")) {
            JsonObject f = JsonObject.of(o);
            System.out.printf("%s  %10s  %s%s%s%n", f.string("id"), Messages.bytes(f.longValue("lengthBytes")),
                    Messages.printable(f.optionalString("name").orElse("?")),
                    f.bool("collection", false) ? "/  (folder)" : "",
                    f.bool("stale", false) ? "  (changed on disk: not served; `node refresh` shares it again)" : "");
        }
        return ExitCode.OK;
    }

    private static Map<String, Object> offline(Path dir) throws Exception {
        if (!Files.isDirectory(DataDirs.store(dir))) {
            return Map.of("files", List.of());
        }
        try (NodeLock lock = NodeLock.acquire(dir);
                BlockStore store = BlockStore.open(DataDirs.store(dir), StoreConfig.defaults())) {
            LocalManifests manifests = LocalManifests.open(DataDirs.manifests(dir));
            byte[] ownKey = NodeIdentity.loadOrCreate(dir).publicKey();
            List<Object> files = new ArrayList<>();
            for (StoredFile f : store.list()) {
                SharedFile named = SharedFile.named(f, manifests, ownKey);
                files.add(NodeJson.file(f, named.name(), named.mediaType()));
            }
            return Map.of("files", files);
        }
    }
}
