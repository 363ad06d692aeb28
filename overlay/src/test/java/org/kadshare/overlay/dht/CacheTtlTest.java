package org.kadshare.overlay.dht;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheTtlTest {
    @Test
    void ttlHalvesForEveryKNodesBetweenUsAndTheKeyDownToTheMinimum() {
        assertThat(CacheTtl.ttlMillis(1600, 100, 0, 8)).isEqualTo(1600);
        assertThat(CacheTtl.ttlMillis(1600, 100, 7, 8)).isEqualTo(1600);
        assertThat(CacheTtl.ttlMillis(1600, 100, 8, 8)).isEqualTo(800);
        assertThat(CacheTtl.ttlMillis(1600, 100, 16, 8)).isEqualTo(400);
        assertThat(CacheTtl.ttlMillis(1600, 100, 1000, 8)).isEqualTo(100);
    }

    @Test
    void closerContactsCountsOnlyContactsNearerTheKeyThanUs() {
        NodeId own = NodeId.parseHex("8000000000000000000000000000000000000000");
        RoutingTable table = new RoutingTable(own, RoutingConfig.defaults(), 0);
        table.heardFrom(RoutingTableTest.contact(RoutingTableTest.id(0x00, 1), 1, 1), true, 0);
        table.heardFrom(RoutingTableTest.contact(RoutingTableTest.id(0x01, 2), 2, 1), true, 0);
        table.heardFrom(RoutingTableTest.contact(RoutingTableTest.id(0xc0, 3), 3, 1), true, 0);
        NodeId key = NodeId.parseHex("0000000000000000000000000000000000000000");
        assertThat(CacheTtl.closerContacts(table, key)).isEqualTo(2);
    }
}
