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
    void fullKeyReplacesTheRecordClosestToExpiry() {
        HolderStore store = new HolderStore(2, 10, 10);
        store.put(key(1), peer(1, 1), 3000);
        store.put(key(1), peer(2, 1), 1000);
        assertThat(store.put(key(1), peer(3, 1), 4000)).isTrue();
        assertThat(store.get(key(1), 10, 0)).containsExactlyInAnyOrder(peer(1, 1), peer(3, 1));
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void keyLimitAndPerIpLimitRefuseNewRecords() {
        HolderStore store = new HolderStore(10, 2, 2);
        store.put(key(1), peer(1, 1), 1000);
        store.put(key(2), peer(1, 2), 1000);
        assertThat(store.put(key(2), peer(1, 3), 1000)).as("third record from one IP").isFalse();
        assertThat(store.put(key(3), peer(2, 1), 1000)).as("third key").isFalse();
        assertThat(store.put(key(2), peer(2, 1), 1000)).isTrue();
        store.expire(1000);
        assertThat(store.put(key(3), peer(1, 3), 2000)).isTrue();
    }

    @Test
    void getReturnsAtMostTheAskedNumber() {
        HolderStore store = new HolderStore(100, 10, 100);
        for (int i = 0; i < 50; i++) {
            store.put(key(1), peer(i, 1), 1000);
        }
        assertThat(store.get(key(1), 8, 0)).hasSize(8).startsWith(peer(49, 1));
    }
}
