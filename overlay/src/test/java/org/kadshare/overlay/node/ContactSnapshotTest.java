package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kadshare.overlay.dht.DhtContact;
import org.kadshare.overlay.dht.NodeId;

class ContactSnapshotTest {
    @TempDir
    Path dir;

    private static List<DhtContact> oneContact() {
        return List.of(new DhtContact(NodeId.random(new java.util.Random(1)), new InetSocketAddress("127.14.0.9", 4870),
                true));
    }

    @Test
    void savedContactsAreLoadedBack() throws Exception {
        ContactSnapshot snapshot = new ContactSnapshot(dir);
        snapshot.save(oneContact());
        assertThat(snapshot.load()).containsExactly(new InetSocketAddress("127.14.0.9", 4870));
    }

    @Test
    void aSaveThatFailsLeavesNoTemporaryFileBehind() throws Exception {
        Path blocked = Files.createDirectories(dir.resolve(ContactSnapshot.FILE_NAME).resolve("not-empty"));
        ContactSnapshot snapshot = new ContactSnapshot(dir);
        assertThatThrownBy(() -> snapshot.save(oneContact())).isInstanceOf(IOException.class);
        assertThat(blocked).exists();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(ContactSnapshot.FILE_NAME);
        }
    }
}
