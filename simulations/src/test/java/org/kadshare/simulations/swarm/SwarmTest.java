package org.kadshare.simulations.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Swarms of download cores in virtual time. */
class SwarmTest {
    private static SwarmConfig crowd(long seed, int getters) {
        return SwarmConfig.flashCrowd(seed, getters).withFileBytes(2 << 20);
    }

    @Test
    void theSameSeedGivesTheSameSwarmRunTwiceAndAnotherSeedAnotherRun() {
        SwarmReport first = Swarm.run(crowd(7, 20));
        assertThat(Swarm.run(crowd(7, 20))).isEqualTo(first);
        assertThat(Swarm.run(crowd(8, 20)).events()).isNotEqualTo(first.events());
    }

    @Test
    void everyGetterOfAFlashCrowdCompletesAndTheGettersServeEachOtherMoreThanTheSeederServesThem() {
        SwarmReport r = Swarm.run(crowd(3, 40));
        assertThat(r.completed()).isEqualTo(40);
        assertThat(r.failed()).isZero();
        assertThat(r.seederUploadShare()).as("the seeder's share of the bytes uploaded").isLessThan(0.5);
        assertThat(r.lastDoneMillis()).isGreaterThanOrEqualTo(r.lastArrivalMillis());
    }

    @Test
    void gettersStillCompleteFromEachOtherWhenTheSeederLeavesMidCrowd() {
        SwarmReport r = Swarm.run(crowd(5, 40).withDepartures(30_000, -1));
        assertThat(r.lastArrivalMillis()).as("getters arrive after the seeder left").isGreaterThan(30_000);
        assertThat(r.completed()).isEqualTo(40);
    }
}
