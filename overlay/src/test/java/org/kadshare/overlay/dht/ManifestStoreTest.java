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
        store.put(key(1), ALICE, new byte[] {1}, 1000);
        store.put(key(1), BOB, new byte[] {2}, 1000);
        store.put(key(1), ALICE, new byte[] {3}, 2000);
        assertThat(store.get(key(1), 10, 0)).containsExactly(new byte[] {3}, new byte[] {2});
        assertThat(store.size()).isEqualTo(2);
        store.expire(1000);
        assertThat(store.get(key(1), 10, 1000)).containsExactly(new byte[] {3});
    }

    @Test
    void limitsRefuseNewPublishersKeysAndOversizedManifests() {
        ManifestStore store = new ManifestStore(1, 1, 4);
        assertThat(store.put(key(1), ALICE, new byte[4], 1000)).isTrue();
        assertThat(store.put(key(1), BOB, new byte[1], 1000)).as("second publisher").isFalse();
        assertThat(store.put(key(2), BOB, new byte[1], 1000)).as("second key").isFalse();
        assertThat(store.put(key(1), ALICE, new byte[5], 1000)).as("oversized").isFalse();
        assertThat(store.put(key(1), ALICE, new byte[2], 1000)).as("republish").isTrue();
    }

    @Test
    void storedBytesCannotBeChangedFromOutside() {
        ManifestStore store = new ManifestStore(1, 1, 4);
        byte[] m = {7};
        store.put(key(1), ALICE, m, 1000);
        m[0] = 8;
        store.get(key(1), 1, 0).get(0)[0] = 9;
        assertThat(store.get(key(1), 1, 0)).containsExactly(new byte[] {7});
    }
}
