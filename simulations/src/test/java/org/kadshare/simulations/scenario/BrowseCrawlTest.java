package org.kadshare.simulations.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kadshare.overlay.dht.DhtNode;

/** BEP 51 crawls of the real DHT core in the simulator. */
class BrowseCrawlTest {

    @Test
    void aCrawlAllowedToAskEveryNodeSamplesEveryAnnouncedKeyAndASmallBudgetIsKept() {
        DhtHarness<DhtNode> h = new DhtHarness<>(13, 0, DhtNodeDriver.withDefaults());
        h.bootstrap(100, 20, 30_000);
        List<DhtHarness.Record> published = h.publish(h.pickLive(60));
        h.simulation().runFor(30_000);

        BrowseCrawl.Outcome all = BrowseCrawl.run(h, h.pickLive(1).get(0), published, 400, 60_000);
        assertThat(all.coverage()).as("%s", all).isEqualTo(1.0);
        assertThat(all.answered()).isGreaterThanOrEqualTo(50);

        BrowseCrawl.Outcome few = BrowseCrawl.run(h, h.pickLive(1).get(0), published, 4, 60_000);
        assertThat(few.queries()).isEqualTo(4);
        assertThat(few.found()).isLessThan(published.size());
    }
}
