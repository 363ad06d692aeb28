package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionsTest {
    private final VirtualTime time = new VirtualTime();
    private final DhtEnvironment env = time.environment(3, (to, b) -> { });
    private final InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1000);
    private final InetSocketAddress b = new InetSocketAddress("127.0.0.1", 1001);

    @Test
    void replyIsMatchedByAddressAndIdExactlyOnce() {
        Transactions<String> tx = new Transactions<>(env, 10);
        List<String> got = new ArrayList<>();
        byte[] id = tx.open(a, 1000, got::add, () -> got.add("timeout"));
        assertThat(tx.complete(b, id, "from b")).isFalse();
        assertThat(tx.complete(a, id, "from a")).isTrue();
        assertThat(tx.complete(a, id, "again")).isFalse();
        time.runFor(5000);
        assertThat(got).containsExactly("from a");
    }

    @Test
    void lateReplyAfterTheTimeoutIsUnknown() {
        Transactions<String> tx = new Transactions<>(env, 10);
        List<String> got = new ArrayList<>();
        byte[] id = tx.open(a, 1000, got::add, () -> got.add("timeout"));
        time.runFor(1000);
        assertThat(tx.complete(a, id, "late")).isFalse();
        assertThat(got).containsExactly("timeout");
        assertThat(tx.pendingCount()).isZero();
    }

    @Test
    void aReplyWithinTheLateWindowGoesToTheLateCallbackAfterTheTimeoutRan() {
        Transactions<String> tx = new Transactions<>(env, 10);
        List<String> got = new ArrayList<>();
        byte[] id = tx.open(a, 1000, 5000, got::add, () -> got.add("timeout"), r -> got.add("late " + r));
        time.runFor(1000);
        assertThat(got).containsExactly("timeout");
        assertThat(tx.pendingCount()).as("still matchable").isOne();
        assertThat(tx.complete(a, id, "reply")).isTrue();
        assertThat(got).containsExactly("timeout", "late reply");
        assertThat(tx.pendingCount()).isZero();
    }

    @Test
    void theLateWindowEndsAndThenTheReplyIsUnknown() {
        Transactions<String> tx = new Transactions<>(env, 10);
        List<String> got = new ArrayList<>();
        byte[] id = tx.open(a, 1000, 5000, got::add, () -> got.add("timeout"), r -> got.add("late " + r));
        time.runFor(5000);
        assertThat(tx.pendingCount()).isZero();
        assertThat(tx.complete(a, id, "reply")).isFalse();
        assertThat(got).containsExactly("timeout");
    }

    @Test
    void pendingQueriesAreBoundedAndIdsAreDistinct() {
        Transactions<String> tx = new Transactions<>(env, 3);
        byte[] x = tx.open(a, 1000, r -> { }, () -> { });
        byte[] y = tx.open(a, 1000, r -> { }, () -> { });
        assertThat(x).isNotEqualTo(y);
        tx.open(b, 1000, r -> { }, () -> { });
        assertThat(tx.open(b, 1000, r -> { }, () -> { })).isNull();
        assertThat(tx.complete(a, new byte[] {1, 2, 3}, "bad length")).isFalse();
    }
}
