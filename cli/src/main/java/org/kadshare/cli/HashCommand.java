package org.kadshare.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kadshare.storage.ContentDigest;
import org.kadshare.storage.ContentHasher;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kadshare.cli.control.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code node hash <file>}: prints a file's content ID, offline; stores nothing. */
@Command(name = "hash", description = "Print the content ID of a file (offline; nothing is stored).")
final class HashCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "<file>", description = "The file to hash.")
    Path file;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() throws Exception {
        return run(file, json.json);
    }

    /** The command itself, apart from its command line (also run by {@link ShortCommands}). */
    static int run(Path file, boolean json) throws Exception {
        Path input = InputFile.require(file);
        ContentDigest digest;
        try (ContentHasher hasher = new ContentHasher()) {
            digest = hasher.hash(input, (index, leafHash) -> { });
        }
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", digest.id().toHex());
            m.put("lengthBytes", digest.lengthBytes());
            m.put("path", input.toString());
            System.out.println(Json.write(m));
        } else {
            System.out.println(digest.id().toHex());
        }
        return ExitCode.OK;
    }
}
