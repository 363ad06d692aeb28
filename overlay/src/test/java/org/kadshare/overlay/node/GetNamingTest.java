package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.storage.ContentId;
import org.kadshare.storage.LocalManifests;
import org.kadshare.storage.Manifest;
import org.kadshare.storage.MediaTypes;
import org.kadshare.storage.NodeIdentity;

class GetNamingTest {
    private static final ContentId ID = ContentId.of(new byte[ContentId.LENGTH_BYTES]);
    private static final long LENGTH = 1_000;

    @TempDir
    Path tmp;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    private NodeIdentity key(String name) throws Exception {
        return NodeIdentity.loadOrCreate(Files.createDirectories(tmp.resolve(name)));
    }

    /** Names the file after the chosen manifest, or after the content ID without one. */
    private GetNaming naming(byte[] ownKey) {
        DestinationNamer byManifest = new DestinationNamer() {
            @Override
            public String problem() {
                return null;
            }

            @Override
            public Path name(Optional<Manifest> chosen) {
                return tmp.resolve(chosen.map(Manifest::name).orElse(ID.toHex()));
            }
        };
        return new GetNaming(ID, byManifest, executor, LocalManifests.open(tmp.resolve("manifests")), ownKey);
    }

    @Test
    void manifestsFoundAreKeptOnceEachAndAtMostTheBound() throws Exception {
        NodeIdentity publisher = key("publisher");
        GetNaming naming = naming(new byte[32]);
        Manifest first = Manifest.sign(ID, LENGTH, "a.bin", MediaTypes.DEFAULT, 1, publisher);
        naming.manifestFound(first);
        naming.manifestFound(first);
        assertThat(naming.found()).containsExactly(first);
        for (int i = 0; i < GetNaming.MAX_MANIFESTS + 5; i++) {
            naming.manifestFound(Manifest.sign(ID, LENGTH, "n" + i + ".bin", MediaTypes.DEFAULT, 2 + i, publisher));
        }
        assertThat(naming.found()).hasSize(GetNaming.MAX_MANIFESTS).startsWith(first);
    }

    @Test
    void theNameComesOnceFromAManifestThatAgreesWithTheProvenLength() throws Exception {
        GetNaming naming = naming(new byte[32]);
        naming.manifestFound(Manifest.sign(ID, LENGTH + 1, "lie.bin", MediaTypes.DEFAULT, 9, key("liar")));
        naming.manifestFound(Manifest.sign(ID, LENGTH, "true.bin", MediaTypes.DEFAULT, 1, key("honest")));
        assertThat(naming.destination()).isNull();
        Path named = naming.nameAtTheEnd(LENGTH);
        assertThat(named.getFileName().toString()).isEqualTo("true.bin");
        naming.manifestFound(Manifest.sign(ID, LENGTH, "later.bin", MediaTypes.DEFAULT, 5, key("late")));
        assertThat(naming.nameAtTheEnd(LENGTH)).as("named once").isEqualTo(named);
    }

    @Test
    void theNameWaitsForTheRunningManifestLookupAndNotAtAllWithoutOne() throws Exception {
        GetNaming naming = naming(new byte[32]);
        assertThat(naming.lookupOver().toCompletableFuture().isDone()).as("no lookup yet").isTrue();
        CompletableFuture<List<Manifest>> lookup = new CompletableFuture<>();
        naming.lookupStarted(lookup);
        CompletableFuture<Void> over = naming.lookupOver().toCompletableFuture();
        Thread.sleep(100);
        assertThat(over.isDone()).as("waits while the lookup runs").isFalse();
        lookup.complete(List.of());
        over.get(5, TimeUnit.SECONDS);
        assertThat(naming.lookupOver().toCompletableFuture().isDone()).as("a finished lookup holds nothing").isTrue();
    }
}
