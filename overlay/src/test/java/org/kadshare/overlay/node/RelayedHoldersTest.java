package org.kadshare.overlay.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.kadshare.storage.ContentId;

class RelayedHoldersTest {
    private static final InetSocketAddress HOLDER = new InetSocketAddress("127.0.9.1", 4000);
    private static final InetSocketAddress RELAY = new InetSocketAddress("127.0.9.2", 5000);

    private static ContentId id(int b) {
        byte[] bytes = new byte[ContentId.LENGTH_BYTES];
        bytes[0] = (byte) b;
        return ContentId.of(bytes);
    }

    private final RelayedHolders relayed = new RelayedHolders(null, null, () -> 0);
    private final Object firstGet = new Object();
    private final Object secondGet = new Object();

    @Test
    void aGetThatEndsTakesTheRelayedHoldersItFoundWithIt() {
        relayed.relayed(firstGet, id(1), HOLDER, RELAY);
        assertThat(relayed.knows(id(1), HOLDER)).isTrue();

        relayed.forget(firstGet, id(1));

        assertThat(relayed.knows(id(1), HOLDER)).isFalse();
    }

    @Test
    void twoGetsOfOneFileKeepItsRelayedHoldersUntilTheSecondEnds() {
        relayed.relayed(firstGet, id(1), HOLDER, RELAY);
        relayed.relayed(secondGet, id(1), HOLDER, null);

        relayed.forget(firstGet, id(1));
        assertThat(relayed.knows(id(1), HOLDER)).isTrue();

        relayed.forget(secondGet, id(1));
        assertThat(relayed.knows(id(1), HOLDER)).isFalse();
    }

    @Test
    void aGetThatFoundNoRelayedHolderEndingLeavesAnotherGetsRoutesAlone() {
        relayed.relayed(firstGet, id(1), HOLDER, RELAY);
        relayed.relayed(secondGet, id(2), HOLDER, RELAY);

        relayed.forget(secondGet, id(1));
        relayed.forget(secondGet, id(2));

        assertThat(relayed.knows(id(1), HOLDER)).isTrue();
        assertThat(relayed.knows(id(2), HOLDER)).isFalse();
    }
}
