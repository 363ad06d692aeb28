package org.kadshare.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.ControlClient;
import org.kadshare.cli.control.Json;
import org.kadshare.storage.BlockStore;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.StoreConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code node rm <hash>}: stops sharing a file; a referenced original on disk is left alone. */
@Command(name = "rm", description = "Stop sharing a file (a referenced original is left alone).")
final class RmCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Parameters(index = "0", paramLabel = "<hash>", description = ContentIds.HASH_HELP)
    String hash;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() throws Exception {
        ContentId id = ContentIds.resolve(hash, node.dataDir());
        Path dir = node.dataDir();
        Optional<ControlClient> running = Files.isDirectory(dir) ? RunningNode.find(dir) : Optional.empty();
        boolean removed;
        if (running.isPresent()) {
            removed = RunningNode.call(() -> running.get().post("/v1/rm", Map.of("id", id.toHex())))
                    .bool("removed", false);
        } else if (Files.isDirectory(DataDirs.store(dir))) {
            try (NodeLock lock = NodeLock.acquire(dir);
                    BlockStore store = BlockStore.open(DataDirs.store(dir), StoreConfig.defaults())) {
                removed = store.remove(id);
            }
        } else {
            removed = false;
        }
        if (!removed) {
            throw new CliException(ExitCode.NOT_FOUND, "not shared: " + id.toHex());
        }
        if (json.json) {
            System.out.println(Json.write(Map.of("id", id.toHex(), "removed", true)));
        } else {
            Messages.info("no longer sharing " + id.toHex());
        }
        return ExitCode.OK;
    }
}
