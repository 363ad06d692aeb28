package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kadshare.overlay.dht.HolderStoreTest.key;
import static org.kadshare.overlay.dht.HolderStoreTest.peer;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** {@link ManifestStore#forKeywords}: the limits of a word's keyword records. */
class KeywordStoreTest {
    private static final InetAddress HONEST = peer(1, 1).getAddress();
    private static final InetAddress SPAMMER = peer(9, 1).getAddress();

    private static InetAddress ip(int n) {
        return peer(1000 + n, 1).getAddress();
    }

    private static byte[] value(int n) {
        return new byte[] {(byte) (n >>> 8), (byte) n};
    }

    private static ManifestStore store(int perKey, int perPublisher, int perIp, int records) {
        return ManifestStore.forKeywords(perKey, perPublisher, perIp, records, 900);
    }

    private static ManifestStore.Outcome put(ManifestStore store, NodeId key, String publisher, String content,
                                             long created, byte[] encoded, long expires, InetAddress source) {
        return store.put(key, publisher + "/" + content, publisher, created, encoded, expires, source);
    }

    @Test
    void aRepublishOfTheSameContentByTheSamePublisherReplacesItsRecordButAnOlderOneDoesNot() {
        ManifestStore store = store(64, 4, 8, 100);
        put(store, key(1), "alice", "c1", 10, value(1), 1000, HONEST);
        assertThat(put(store, key(1), "alice", "c1", 11, value(2), 500, HONEST)).isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(put(store, key(1), "alice", "c1", 9, value(3), 5000, HONEST)).isEqualTo(ManifestStore.Outcome.OLDER);
        assertThat(store.get(key(1), 10, 0)).containsExactly(value(2));
        assertThat(store.size()).isEqualTo(1);
        store.expire(999);
        assertThat(store.get(key(1), 10, 999)).as("the expiry never moves earlier").hasSize(1);
        store.expire(1000);
        assertThat(store.size()).isZero();
    }

    @Test
    void onePublisherCannotFillAWordsSlotsFromAnyNumberOfAddresses() {
        ManifestStore store = store(64, 4, 8, 20_000);
        for (int c = 0; c < 100; c++) {
            put(store, key(1), "spammer", "c" + c, 10, value(c), 1000, ip(c));
        }
        assertThat(store.size()).isEqualTo(4);
        assertThat(put(store, key(1), "honest", "mine", 10, value(500), 1000, HONEST))
                .isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(put(store, key(2), "spammer", "c0", 10, value(0), 1000, SPAMMER)).as("other words are separate")
                .isEqualTo(ManifestStore.Outcome.STORED);
    }

    @Test
    void oneAddressWithManyPublisherKeysTakesOnlyItsShareAndTheHonestPublisherIsStoredAndAnswered() {
        ManifestStore store = store(64, 4, 8, 20_000);
        for (int p = 0; p < 1000; p++) {
            put(store, key(1), "sybil" + p, "c" + p, 10, value(p), 1000, SPAMMER);
        }
        assertThat(store.size()).isEqualTo(8);
        assertThat(put(store, key(1), "honest", "mine", 10, value(5000), 1000, HONEST))
                .isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.get(key(1), 2, 0)).as("answers deal records round-robin over IPs")
                .containsExactly(value(0), value(5000));
    }

    @Test
    void aWordThatTenThousandPublishersUseStaysBoundedAndANewcomerStillFindsRoom() {
        ManifestStore store = store(64, 4, 8, 20_000);
        for (int p = 0; p < 10_000; p++) {
            put(store, key(1), "publisher" + p, "c" + p, 10, value(p), 1000 + p, ip(p % 40));
        }
        assertThat(store.size()).isEqualTo(64);
        assertThat(put(store, key(1), "late", "new", 10, value(20_000), 1000, HONEST)).as("a newcomer IP")
                .isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.size()).isEqualTo(64);
        assertThat(store.get(key(1), 64, 0)).contains(value(20_000));
    }

    @Test
    void honestPublishersOfAPopularWordAreAllKeptWhileTheirCountIsWithinTheLimit() {
        ManifestStore store = store(64, 4, 8, 20_000);
        for (int p = 0; p < 64; p++) {
            assertThat(put(store, key(1), "publisher" + p, "c" + p, 10, value(p), 1000, ip(p)))
                    .isEqualTo(ManifestStore.Outcome.STORED);
        }
        assertThat(store.get(key(1), 64, 0)).hasSize(64);
    }

    @Test
    void aFullStoreMakesTheAddressWithTheMostRecordsGiveWay() {
        ManifestStore store = store(64, 4, 8, 10);
        for (int w = 0; w < 10; w++) {
            put(store, key(w), "spammer", "c", 10, value(w), 1000, SPAMMER);
        }
        assertThat(put(store, key(50), "honest", "mine", 10, value(99), 1000, HONEST))
                .isEqualTo(ManifestStore.Outcome.STORED);
        assertThat(store.size()).isEqualTo(10);
        assertThat(store.get(key(0), 10, 0)).as("the spammer's least recently stored went").isEmpty();
        assertThat(store.get(key(50), 10, 0)).containsExactly(value(99));
    }
}
