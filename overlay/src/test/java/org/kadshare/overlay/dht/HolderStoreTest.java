package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HolderStoreTest {
    static InetSocketAddress peer(int ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 1, (byte) (ip >>> 8), (byte) ip}), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static NodeId key(int n) {
        byte[] b = new byte[20];
        b[19] = (byte) n;
        b[18] = (byte) (n >>> 8);
        b[17] = (byte) (n >>> 16);
        return NodeId.of(b);
    }

    @Test
    void holdersExpireAtTheirTtlUnlessReannounced() {
        HolderStore store = new HolderStore(10, 10, 10);
        store.put(key(1), peer(1, 1), 1000);
        store.put(key(1), peer(2, 1), 1000);
        store.put(key(1), peer(2, 1), 2000);
        assertThat(store.get(key(1), 10, 999)).containsExactly(peer(2, 1), peer(1, 1));
        assertThat(store.get(key(1), 10, 1000)).containsExactly(peer(2, 1));
        store.expire(1000);
        assertThat(store.size()).isEqualTo(1);
        store.expire(2000);
        assertThat(store.size()).isZero();
        assertThat(store.keyCount()).isZero();
    }

    @Test
    void reannouncingNeverShortensARecord() {
        HolderStore store = new HolderStore(10, 10, 10);
        store.put(key(1), peer(1, 1), 5000);
        store.put(key(1), peer(1, 1), 100);
        assertThat(store.get(key(1), 10, 4000)).containsExactly(peer(1, 1));
    }

    @Test
    void anIpAtItsShareOfAKeyReplacesItsOwnRecordClosestToExpiry() {
        HolderStore store = new HolderStore(10, 2, 10);
        store.put(key(1), peer(1, 1), 3000);
        store.put(key(1), peer(1, 2), 1000);
        store.put(key(1), peer(2, 1), 500);
        assertThat(store.put(key(1), peer(1, 3), 4000)).isTrue();
        assertThat(store.get(key(1), 10, 0)).containsExactlyInAnyOrder(peer(1, 1), peer(1, 3), peer(2, 1));
        assertThat(store.put(key(1), peer(1, 4), 100)).as("would replace a longer-lived record").isFalse();
        assertThat(store.size()).isEqualTo(3);
    }

    @Test
    void oneIpAnnouncingAKeyFromSixtyPortsKeepsOnlyItsShareAndTheHonestHoldersStayInEveryAnswer() {
        HolderStore store = new HolderStore(100, 8, 100_000);
        store.put(key(1), peer(1, 4870), 1000);
        store.put(key(1), peer(2, 4870), 1000);
        for (int port = 1; port <= 60; port++) {
            assertThat(store.put(key(1), peer(9, port), 1000 + port)).isTrue();
        }
        assertThat(store.size()).isEqualTo(2 + 8);
        assertThat(store.get(key(1), 8, 0)).as("newest 8 in an answer of 8").hasSize(8)
                .contains(peer(1, 4870), peer(2, 4870));
        assertThat(store.get(key(1), 50, 0)).hasSize(10).startsWith(peer(9, 60), peer(2, 4870), peer(1, 4870));
    }

    @Test
    void aFullKeyMakesTheIpWithMostRecordsGiveWayButNeverAnIpWithItsFairShare() {
        HolderStore store = new HolderStore(4, 3, 100);
        store.put(key(1), peer(9, 1), 5000);
        store.put(key(1), peer(9, 2), 1000);
        store.put(key(1), peer(9, 3), 9000);
        store.put(key(1), peer(1, 1), 1000);
        assertThat(store.put(key(1), peer(2, 1), 1000)).as("newcomer takes from the IP with 3").isTrue();
        assertThat(store.get(key(1), 10, 0)).containsExactlyInAnyOrder(peer(9, 1), peer(9, 3), peer(1, 1),
                peer(2, 1));
        assertThat(store.put(key(1), peer(3, 1), 9999)).as("every IP holds at most one more").isTrue();
        assertThat(store.put(key(1), peer(4, 1), 9999)).as("now all hold one: first come").isFalse();
        assertThat(store.get(key(1), 10, 0)).contains(peer(1, 1), peer(2, 1), peer(3, 1));
    }

    @Test
    void aHolderSharingTenThousandFilesLosesNoneAndAFloodFromOneIpCannotPushItOut() {
        HolderStore store = new HolderStore(100, 8, 30_000);
        for (int file = 0; file < 10_000; file++) {
            assertThat(store.put(key(file), peer(1, 4870), 1000)).isTrue();
        }
        for (int i = 0; i < 60_000; i++) {
            store.put(key(20_000 + i), peer(9, 1 + i % 60), 2000);
        }
        assertThat(store.size()).isEqualTo(30_000);
        assertThat(store.recordsOf(peer(1, 1).getAddress())).isEqualTo(10_000);
        for (int file = 0; file < 10_000; file++) {
            assertThat(store.get(key(file), 50, 0)).containsExactly(peer(1, 4870));
        }
    }

    @Test
    void aFullStoreRefusesANewcomerWhenNoIpHoldsTwoMoreThanIt() {
        HolderStore store = new HolderStore(10, 10, 2);
        store.put(key(1), peer(1, 1), 1000);
        store.put(key(2), peer(2, 1), 1000);
        assertThat(store.put(key(3), peer(3, 1), 1000)).isFalse();
        assertThat(store.put(key(3), peer(1, 2), 1000)).isFalse();
        store.expire(1000);
        assertThat(store.put(key(3), peer(1, 3), 2000)).isTrue();
        assertThat(store.keyCount()).isEqualTo(1);
    }

    @Test
    void aFullStoreDropsTheLeastRecentlyAnnouncedRecordOfTheLargestIp() {
        HolderStore store = new HolderStore(10, 10, 3);
        store.put(key(1), peer(9, 1), 1000);
        store.put(key(2), peer(9, 1), 1000);
        store.put(key(3), peer(9, 2), 1000);
        store.put(key(1), peer(9, 1), 1000);
        assertThat(store.put(key(4), peer(1, 1), 1000)).isTrue();
        assertThat(store.get(key(2), 10, 0)).as("key 2 was announced least recently").isEmpty();
        assertThat(store.get(key(1), 10, 0)).containsExactly(peer(9, 1));
        assertThat(store.keyCount()).isEqualTo(3);
    }

    @Test
    void getReturnsAtMostTheAskedNumber() {
        HolderStore store = new HolderStore(100, 100, 1000);
        for (int i = 0; i < 50; i++) {
            store.put(key(1), peer(i, 1), 1000);
        }
        assertThat(store.get(key(1), 8, 0)).hasSize(8).startsWith(peer(49, 1));
    }

    @Test
    void answersDealHoldersRoundRobinOverIps() {
        HolderStore store = new HolderStore(100, 100, 1000);
        for (int port = 1; port <= 5; port++) {
            store.put(key(1), peer(9, port), 1000);
        }
        store.put(key(1), peer(1, 1), 1000);
        store.put(key(1), peer(1, 2), 1000);
        store.put(key(1), peer(9, 6), 1000);
        assertThat(store.get(key(1), 4, 0)).containsExactly(peer(9, 6), peer(1, 2), peer(9, 5), peer(1, 1));
    }

    @Test
    void anUnreachableHoldersRecordIsListedAsRelayedWithTheAddressItsAnnounceCameFromNotAsAHolder() {
        HolderStore store = new HolderStore(10, 10, 10);
        InetSocketAddress udp = peer(1, 6881);
        store.put(key(1), peer(1, 4870), 1_000, udp);
        store.put(key(1), peer(2, 4870), 1_000);

        assertThat(store.get(key(1), 10, 0)).containsExactly(peer(2, 4870));
        assertThat(store.relayed(key(1), 10, 0)).containsExactly(peer(1, 4870));
        assertThat(store.relayOf(key(1), peer(1, 4870), 0)).isEqualTo(udp);
        assertThat(store.relayOf(key(1), peer(2, 4870), 0)).isNull();
        assertThat(store.relayOf(key(1), peer(1, 4870), 1_000)).as("expired").isNull();
    }

    @Test
    void aHolderThatBecameReachableIsListedAsUsualAfterItsNextAnnounce() {
        HolderStore store = new HolderStore(10, 10, 10);
        store.put(key(1), peer(1, 4870), 1_000, peer(1, 6881));
        store.put(key(1), peer(1, 4870), 2_000);
        assertThat(store.relayed(key(1), 10, 0)).isEmpty();
        assertThat(store.get(key(1), 10, 0)).containsExactly(peer(1, 4870));
        assertThat(store.size()).isEqualTo(1);
    }
}
