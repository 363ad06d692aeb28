package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.dht.HolderStoreTest.key;
import static org.kadshare.overlay.dht.HolderStoreTest.peer;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ManifestStoreTest {
    private static final byte[] ALICE = {1, 1, 1};
    private static final byte[] BOB = {2, 2, 2};
    private static final InetAddress HONEST = peer(1, 1).getAddress();
    private static final InetAddress OTHER = peer(2, 1).getAddress();
    private static final InetAddress ATTACKER = peer(9, 1).getAddress();

    private static byte[] publisher(int n) {
        return new byte[] {(byte) (n >>> 8), (byte) n, 7};
    }

    @Test
    void republishByTheSamePublisherReplacesItsManifest() {
        ManifestStore store = new ManifestStore(4, 4, 100, 100);
        store.put(key(1), ALICE, 10, new byte[] {1}, 1000, HONEST);
        store.put(key(1), BOB, 10, new byte[] {2}, 1000, HONEST);
        store.put(key(1), ALICE, 11, new byte[] {3}, 2000, OTHER);
        assertThat(store.get(key(1), 10, 0)).containsExactly(new byte[] {3}, new byte[] {2});
        assertThat(store.size()).isEqualTo(2);
        store.expire(1000);
        assertThat(store.get(key(1), 10, 1000)).containsExactly(new byte[] {3});
    }

    @Test
    void limitsRefuseOversizedManifestsAndNewPublishersOfAFullKeyOrStore() {
        ManifestStore store = new ManifestStore(1, 1, 1, 4);
        assertThat(store.put(key(1), ALICE, 10, new byte[4], 1000, HONEST)).isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.put(key(1), BOB, 10, new byte[1], 1000, OTHER)).as("second publisher")
                .isEqualTo(ManifestStore.Outcome.FULL);
        assertThat(store.put(key(2), BOB, 10, new byte[1], 1000, OTHER)).as("store full")
                .isEqualTo(ManifestStore.Outcome.FULL);
        assertThat(store.put(key(1), ALICE, 10, new byte[5], 1000, HONEST)).as("oversized")
                .isEqualTo(ManifestStore.Outcome.FULL);
        assertThat(store.put(key(1), ALICE, 10, new byte[2], 1000, HONEST)).as("republish")
                .isEqualTo(ManifestStore.Outcome.STORED);
    }

    @Test
    void oneIpWithManyPublisherKeysTakesOnlyItsShareOfAKeyAndTheHonestPublisherIsStored() {
        ManifestStore store = new ManifestStore(16, 4, 20_000, 100);
        for (int p = 0; p < 40; p++) {
            store.put(key(1), publisher(p), 10, new byte[] {(byte) p}, 1000 + p, ATTACKER);
        }
        assertThat(store.size()).isEqualTo(4);
        assertThat(store.put(key(1), ALICE, 10, new byte[] {100}, 1000, HONEST))
                .isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.get(key(1), 2, 0)).as("answers deal manifests round-robin over IPs")
                .containsExactly(new byte[] {0}, new byte[] {100});
    }

    @Test
    void aFullKeyMakesTheIpWithMostManifestsGiveWayItsSoonestExpiringFirst() {
        ManifestStore store = new ManifestStore(3, 3, 100, 100);
        store.put(key(1), publisher(1), 10, new byte[] {1}, 5000, ATTACKER);
        store.put(key(1), publisher(2), 10, new byte[] {2}, 1000, ATTACKER);
        store.put(key(1), publisher(3), 10, new byte[] {3}, 9000, ATTACKER);
        assertThat(store.put(key(1), ALICE, 10, new byte[] {4}, 1000, HONEST))
                .isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.get(key(1), 10, 0)).containsExactlyInAnyOrder(new byte[] {1}, new byte[] {3},
                new byte[] {4});
        assertThat(store.put(key(1), BOB, 10, new byte[] {5}, 1000, OTHER)).isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.put(key(1), publisher(9), 10, new byte[] {6}, 1000, peer(3, 1).getAddress()))
                .as("every IP holds one: first come").isEqualTo(ManifestStore.Outcome.FULL);
    }

    @Test
    void aPublisherOfTenThousandFilesLosesNoneToAFloodOfKeysFromOneIp() {
        ManifestStore store = new ManifestStore(16, 4, 25_000, 100);
        for (int file = 0; file < 10_000; file++) {
            store.put(key(file), ALICE, 10, new byte[] {1}, 1000, HONEST);
        }
        for (int i = 0; i < 40_000; i++) {
            store.put(key(20_000 + i), publisher(i), 10, new byte[] {2}, 2000, ATTACKER);
        }
        assertThat(store.size()).isEqualTo(25_000);
        for (int file = 0; file < 10_000; file++) {
            assertThat(store.get(key(file), 4, 0)).containsExactly(new byte[] {1});
        }
    }

    @Test
    void aFullStoreMakesTheLargestIpGiveWayItsLeastRecentlyStoredFirst() {
        ManifestStore store = new ManifestStore(4, 4, 3, 100);
        store.put(key(1), publisher(1), 10, new byte[] {1}, 1000, ATTACKER);
        store.put(key(2), publisher(2), 10, new byte[] {2}, 1000, ATTACKER);
        store.put(key(3), publisher(3), 10, new byte[] {3}, 1000, ATTACKER);
        assertThat(store.put(key(4), ALICE, 10, new byte[] {4}, 1000, HONEST))
                .isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.get(key(1), 4, 0)).isEmpty();
        assertThat(store.keyCount()).isEqualTo(3);
    }

    @Test
    void aReplayedOlderManifestNeverReplacesTheNewerOneOfTheSamePublisher() {
        ManifestStore store = new ManifestStore(4, 4, 100, 100);
        assertThat(store.put(key(1), ALICE, 20, new byte[] {2}, 1000, HONEST)).isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.put(key(1), ALICE, 19, new byte[] {1}, 5000, HONEST)).isEqualTo(ManifestStore.Outcome.OLDER);
        assertThat(store.get(key(1), 10, 0)).containsExactly(new byte[] {2});
        store.expire(1000);
        assertThat(store.get(key(1), 10, 1000)).as("the refused put did not extend the newer one's life").isEmpty();
        assertThat(store.put(key(1), ALICE, 20, new byte[] {3}, 3000, HONEST)).as("same creation time replaces")
                .isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.put(key(1), BOB, 5, new byte[] {4}, 3000, HONEST)).as("another publisher is apart")
                .isEqualTo(ManifestStore.Outcome.STORED);
    }

    @Test
    void storedBytesCannotBeChangedFromOutside() {
        ManifestStore store = new ManifestStore(1, 1, 1, 4);
        byte[] m = {7};
        store.put(key(1), ALICE, 1, m, 1000, HONEST);
        m[0] = 8;
        store.get(key(1), 1, 0).get(0)[0] = 9;
        assertThat(store.get(key(1), 1, 0)).containsExactly(new byte[] {7});
    }
}
