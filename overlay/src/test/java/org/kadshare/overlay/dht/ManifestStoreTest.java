package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.dht.HolderStoreTest.key;

import org.junit.jupiter.api.Test;

class ManifestStoreTest {
    private static final byte[] ALICE = {1, 1, 1};
    private static final byte[] BOB = {2, 2, 2};

    @Test
    void republishByTheSamePublisherReplacesItsManifest() {
        ManifestStore store = new ManifestStore(4, 4, 100);
        store.put(key(1), ALICE, 10, new byte[] {1}, 1000);
        store.put(key(1), BOB, 10, new byte[] {2}, 1000);
        store.put(key(1), ALICE, 11, new byte[] {3}, 2000);
        assertThat(store.get(key(1), 10, 0)).containsExactly(new byte[] {3}, new byte[] {2});
        assertThat(store.size()).isEqualTo(2);
        store.expire(1000);
        assertThat(store.get(key(1), 10, 1000)).containsExactly(new byte[] {3});
    }

    @Test
    void limitsRefuseNewPublishersKeysAndOversizedManifests() {
        ManifestStore store = new ManifestStore(1, 1, 4);
        assertThat(store.put(key(1), ALICE, 10, new byte[4], 1000)).isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.put(key(1), BOB, 10, new byte[1], 1000)).as("second publisher")
                .isEqualTo(ManifestStore.Outcome.FULL);
        assertThat(store.put(key(2), BOB, 10, new byte[1], 1000)).as("second key")
                .isEqualTo(ManifestStore.Outcome.FULL);
        assertThat(store.put(key(1), ALICE, 10, new byte[5], 1000)).as("oversized")
                .isEqualTo(ManifestStore.Outcome.FULL);
        assertThat(store.put(key(1), ALICE, 10, new byte[2], 1000)).as("republish")
                .isEqualTo(ManifestStore.Outcome.STORED);
    }

    @Test
    void aReplayedOlderManifestNeverReplacesTheNewerOneOfTheSamePublisher() {
        ManifestStore store = new ManifestStore(4, 4, 100);
        assertThat(store.put(key(1), ALICE, 20, new byte[] {2}, 1000)).isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.put(key(1), ALICE, 19, new byte[] {1}, 5000)).isEqualTo(ManifestStore.Outcome.OLDER);
        assertThat(store.get(key(1), 10, 0)).containsExactly(new byte[] {2});
        store.expire(1000);
        assertThat(store.get(key(1), 10, 1000)).as("the refused put did not extend the newer one's life").isEmpty();
        assertThat(store.put(key(1), ALICE, 20, new byte[] {3}, 3000)).as("same creation time replaces")
                .isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.put(key(1), BOB, 5, new byte[] {4}, 3000)).as("another publisher is apart")
                .isEqualTo(ManifestStore.Outcome.STORED);
    }

    @Test
    void storedBytesCannotBeChangedFromOutside() {
        ManifestStore store = new ManifestStore(1, 1, 4);
        byte[] m = {7};
        store.put(key(1), ALICE, 1, m, 1000);
        m[0] = 8;
        store.get(key(1), 1, 0).get(0)[0] = 9;
        assertThat(store.get(key(1), 1, 0)).containsExactly(new byte[] {7});
    }
}
