package org.kadshare.cli;

import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kadshare.cli.control.Json;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.Manifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/** {@code node manifest <hash>}: shows the signed manifests held locally for a content ID, verified. */
@Command(name = "manifest", description = "Show the verified manifests this node holds for a content ID.")
final class ManifestCommand implements Callable<Integer> {
    @ParentCommand
    NodeCommand node;

    @Parameters(index = "0", paramLabel = "<hash>", description = ContentIds.HASH_HELP)
    String hash;

    @Mixin
    JsonOption json = new JsonOption();

    @Override
    public Integer call() throws Exception {
        ContentId id = ContentIds.resolve(hash, node.dataDir());
        List<Manifest> manifests = LocalManifests.open(DataDirs.manifests(node.dataDir())).load(id);
        if (manifests.isEmpty()) {
            throw new CliException(ExitCode.NOT_FOUND, "no manifest held for " + id.toHex());
        }
        HexFormat hex = HexFormat.of();
        if (json.json) {
            List<Object> list = manifests.stream().<Object>map(m -> {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("name", m.name());
                o.put("lengthBytes", m.lengthBytes());
                o.put("mediaType", m.mediaType());
                o.put("created", Instant.ofEpochSecond(m.createdEpochSeconds()).toString());
                o.put("publisherKey", hex.formatHex(m.publisherKey()));
                o.put("signatureValid", true);
                return o;
            }).toList();
            System.out.println(Json.write(Map.of("id", id.toHex(), "manifests", list)));
            return ExitCode.OK;
        }
        for (Manifest m : manifests) {
            System.out.println("id         " + m.id().toHex());
            System.out.println("name       " + Terminal.printable(m.name()));
            System.out.println("length     " + m.lengthBytes());
            System.out.println("type       " + Terminal.printable(m.mediaType()));
            System.out.println("created    " + Instant.ofEpochSecond(m.createdEpochSeconds()));
            System.out.println("publisher  " + hex.formatHex(m.publisherKey()));
            System.out.println("signature  valid");
        }
        return ExitCode.OK;
    }
}
